package dev.lpconfig

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorsTest {
    private val emu = Emulator()
    private val client = emu.client()

    @AfterAll
    fun stop() {
        runBlocking { client.logout() }
        client.close()
        emu.close()
    }

    @Test
    fun `404 maps to NotFound with status, method and url`() = runBlocking {
        val e = assertThrows<LpException.NotFound> { runBlocking { client.users().get(987654321L) } }
        assertEquals(404, e.status)
        assertEquals("GET", e.method)
        assertTrue(e.url!!.contains("/users/987654321"), e.url)
        assertEquals(1, e.attempts)
        assertEquals("ERR_NOT_FOUND", e.code())
        assertTrue(e.toString().startsWith("not found:"), e.toString())
    }

    @Test
    fun `a stale revision maps to Conflict`() = runBlocking {
        val users = client.users()
        val read = users.get(requireNotNull(users.findByLoginName("sam.lee")?.id))
        users.update(read.value.copy(nickname = "Sammy"), IfMatch.Any)
        val e = assertThrows<LpException.Conflict> {
            runBlocking { users.update(read.value.copy(nickname = "Stale"), IfMatch.Revision(read.revision!!)) }
        }
        assertTrue(e.status == 409 || e.status == 412, "status ${e.status}")
        assertEquals("Sammy", users.get(read.value.id!!).value.nickname, "the stale write was refused")
    }

    @Test
    fun `a closed client refuses calls instead of logging in again`() = runBlocking {
        val c = emu.client()
        c.users().list()
        c.logout()
        c.logout() // a second logout is a no-op
        val e = assertThrows<LpException.Config> { runBlocking { c.users().list() } }
        assertEquals("client", e.field)
        assertTrue(e.reason.contains("client is closed"), e.reason)
        assertThrows<LpException.Config> { runBlocking { c.login() } }
        c.close()
    }

    @Test
    fun `bad input is a Config error naming the field, before any I-O`() {
        val e = assertThrows<LpException.Config> {
            Client(ClientConfig(account = "bad id!", credentials = Credentials.Bearer(Secret("t"))))
        }
        assertEquals("account", e.field)
        assertEquals(null, e.status)
        val bad = assertThrows<LpException.Config> {
            runBlocking { client.users().create(User(loginName = "x", nickname = "x", email = "x@x.io", extraJson = "[1]")) }
        }
        assertEquals("extra_json", bad.field)
    }

    @Test
    fun `a wrong password is an Auth error that does not contain it`() = runBlocking {
        val wrong = "Wr0ng-Secret-Pw"
        val other = emu.client(password = wrong)
        val e = assertThrows<LpException.Auth> { runBlocking { other.users().list() } }
        for (text in listOf(e.toString(), e.message ?: "", e.reason, e.stackTraceToString())) {
            assertFalse(wrong in text, "password leaked in: $text")
        }
    }

    @Test
    fun `secrets never print`() {
        val creds = Credentials.ApiKey("app", Secret("SEC-1"), "tok", Secret("TS-2"))
        val user = User(loginName = "p", password = Secret("PW-3"))
        val text = "$creds $user ${Secret("PW-4")}"
        for (s in listOf("SEC-1", "TS-2", "PW-3", "PW-4")) assertFalse(s in text, "$s leaked in $text")
        assertEquals("***", Secret("x").toString())
    }
}
