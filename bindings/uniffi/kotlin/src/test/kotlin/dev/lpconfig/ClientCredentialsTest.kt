package dev.lpconfig

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows

/** OAuth 2.0 client credentials (Sentinel) through the uniffi binding. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientCredentialsTest {
    private val emu = Emulator()

    @AfterAll
    fun stop() = emu.close()

    // The demo seed's app clients (crates/lpconfig-emulator/seeds/demo.toml): public test data.
    private fun client(id: String, secret: String): Client = Client(
        ClientConfig(
            account = "demo",
            credentials = Credentials.ClientCredentials(clientId = id, clientSecret = Secret(secret), scope = null),
            csdsUrl = emu.url,
            retryDelaysMs = listOf(10uL),
            rateLimitBaseMs = 10uL,
        ),
    )

    @Test
    fun `a token from Sentinel reads users`() = runBlocking {
        client("demo-app-client", "d3m0-cl13nt-s3cr3t-0001").use { c ->
            assertEquals(20, c.users().list(null, false).value.size)
        }
    }

    @Test
    fun `a wrong secret is Auth and never shown`() {
        client("demo-app-client", "Wr0ng-Client-Secret").use { c ->
            val e = assertThrows<LpException.Auth> { runBlocking { c.users().list(null, false) } }
            assertEquals(401, e.status)
            assertFalse(e.toString().contains("Wr0ng-Client-Secret"), e.toString())
        }
    }

    @Test
    fun `a read-only client cannot write`() {
        client("demo-reader-client", "d3m0-r3ad3r-s3cr3t-0002").use { c ->
            assertThrows<LpException.Forbidden> { runBlocking { c.users().delete(4052816712L, IfMatch.Any) } }
        }
    }
}
