package dev.lpconfig

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentGroupsTest {
    private val emu = Emulator()
    private val client = emu.client()
    private val groups = client.agentGroups()

    @AfterAll
    fun stop() {
        runBlocking { client.logout() }
        client.close()
        emu.close()
    }

    @Test
    fun `create, update and delete a group, checked by a second read`() = runBlocking {
        val created = groups.create(AgentGroup(name = "Kotlin Team", parentGroupId = Emulator.SUPPORT_GROUP, isEnabled = true))
        val id = requireNotNull(created.value.id)
        val read = groups.get(id)
        assertEquals("Kotlin Team", read.value.name)
        assertEquals(Emulator.SUPPORT_GROUP, read.value.parentGroupId)
        assertTrue(groups.children(Emulator.SUPPORT_GROUP).any { it.id == id })

        groups.update(read.value.copy(description = "made by the Kotlin suite"), IfMatch.Revision(read.revision!!))
        assertEquals("made by the Kotlin suite", groups.get(id).value.description)

        groups.delete(id, IfMatch.Any)
        assertFalse(groups.list().value.any { it.id == id })
    }

    @Test
    fun `the tree nests the demo groups`() = runBlocking {
        val roots = groups.tree()
        val main = roots.single { it.group.id == Emulator.MAIN_GROUP }
        val support = main.children.single { it.group.id == Emulator.SUPPORT_GROUP }
        assertEquals(listOf("Billing", "Tech"), support.children.map { it.group.name }.filter { it != "Kotlin Team" })
    }

    @Test
    fun `members and managers come from the users`() = runBlocking {
        val members = groups.members(Emulator.SUPPORT_GROUP)
        assertTrue(members.all { it.memberOf?.agentGroupId == Emulator.SUPPORT_GROUP })
        val managers = groups.managers(Emulator.SUPPORT_GROUP)
        assertTrue(managers.all { u -> u.managerOf.any { it.agentGroupId == Emulator.SUPPORT_GROUP } })
    }

    @Test
    fun `catalogs are readable`() = runBlocking {
        val skills = client.skills().list().value
        assertTrue(skills.any { it.id == Emulator.SKILL_VIP && it.name == "VIP" })
        assertEquals("Agent", client.profiles().findByName("Agent")?.name)
        assertEquals(2, client.lobs().list().value.size)
    }
}
