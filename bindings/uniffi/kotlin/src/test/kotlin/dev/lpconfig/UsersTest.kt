package dev.lpconfig

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsersTest {
    private val emu = Emulator()
    private val client = emu.client()
    private val users = client.users()

    @AfterAll
    fun stop() {
        runBlocking { client.logout() }
        client.close()
        emu.close()
    }

    @Test
    fun `list returns the demo users with a revision`() = runBlocking {
        val all = users.list()
        assertTrue(all.value.size >= 20, "got ${all.value.size} users")
        requireNotNull(all.revision)
        val admin = all.value.single { it.loginName == "admin" }
        assertNull(admin.password, "passwordSh is write-only")
        val janes = users.list(select = "id,loginName").value.filter { it.loginName == "jane.doe" }
        assertEquals(1, janes.size)
        assertNull(janes[0].email, "select limits the fields")
    }

    @Test
    fun `create, update and delete a user, checked by a second read`() = runBlocking {
        val created = users.create(
            User(
                loginName = "kotlin.user",
                nickname = "Kot",
                email = "kotlin.user@example.com",
                fullName = "Kotlin User",
                password = Secret("Kotlin-pass-1"),
                isEnabled = true,
                maxChats = 2,
                profileIds = listOf(Emulator.PROFILE_AGENT),
                memberOf = GroupLink(agentGroupId = Emulator.SUPPORT_GROUP),
                extraJson = """{"customAttr":"kept"}""",
            ),
        )
        val id = requireNotNull(created.value.id)
        val read = users.get(id)
        assertEquals("kotlin.user", read.value.loginName)
        assertEquals(Emulator.SUPPORT_GROUP, read.value.memberOf?.agentGroupId)
        assertEquals(2L, read.value.maxChats)

        val updated = users.update(
            read.value.copy(nickname = "Kotty", maxChats = 4),
            IfMatch.Revision(requireNotNull(read.revision)),
        )
        assertTrue(updated.revision!! > read.revision!!)
        val reread = users.get(id).value
        assertEquals("Kotty", reread.nickname)
        assertEquals(4L, reread.maxChats)
        assertEquals(id, users.findByLoginName("KOTLIN.USER")?.id, "login names match case-insensitively")

        users.delete(id, IfMatch.Any)
        assertFalse(users.list().value.any { it.id == id }, "deleted users leave the default list")
        val withDeleted = users.list(includeDeleted = true).value.single { it.id == id }
        assertEquals(true, withDeleted.deleted)
    }

    @Test
    fun `helpers change users through the core`() = runBlocking {
        // The emulator masks fullName like production accounts do.
        val users = users.allowMaskedBlank(true)
        val jane = requireNotNull(users.findByLoginName("jane.doe"))
        val janeId = requireNotNull(jane.id)
        users.addSkills(listOf(janeId), listOf(Emulator.SKILL_VIP))
        assertTrue(Emulator.SKILL_VIP in users.get(janeId).value.skillIds)
        assertTrue(users.withSkill(Emulator.SKILL_VIP).any { it.id == janeId })

        users.moveToGroup(listOf(janeId), Emulator.SUPPORT_GROUP)
        assertTrue(users.inGroup(Emulator.SUPPORT_GROUP).any { it.id == janeId })

        users.setConcurrency(listOf(janeId), maxChats = 7, setMaxAsyncChats = true, maxAsyncChats = null)
        val after = users.get(janeId).value
        assertEquals(7L, after.maxChats)
        assertNull(after.maxAsyncChats, "null asks for the account default")

        // A change written in Kotlin, called back from the Rust runtime.
        users.modify(
            listOf(janeId),
            object : UserChange {
                override fun apply(user: User) = user.copy(description = "changed from Kotlin")
            },
        )
        assertEquals("changed from Kotlin", users.get(janeId).value.description)
    }

    @Test
    fun `conditional reads report not modified`() = runBlocking {
        val all = users.list()
        val rev = requireNotNull(all.revision)
        val again = users.listIfModified(rev)
        assertTrue(again is FetchedUsers.NotModified, "got $again")
        assertEquals(rev, (again as FetchedUsers.NotModified).revision)
    }
}
