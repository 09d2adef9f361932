package dev.lpconfig

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows

/** Skills, profiles and LOBs written through the uniffi binding. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogWritesTest {
    private val emu = Emulator()
    private val client = emu.client()

    @AfterAll
    fun stop() {
        runBlocking { client.logout() }
        client.close()
        emu.close()
    }

    @Test
    fun `a skill is created, updated under its revision and deleted`() = runBlocking {
        val skills = client.skills()
        val made = skills.create(
            Skill(id = null, deleted = null, name = "Returns", description = null, dateUpdated = null,
                lobIds = listOf(6549273612L), extraJson = "{}"),
        )
        val id = made.value.id!!
        val updated = skills.update(made.value.copy(description = "Refunds"), IfMatch.Revision(made.revision!!))
        assertEquals("Refunds", skills.get(id).value.description)
        assertThrows<LpException.Conflict> {
            runBlocking { skills.update(made.value.copy(description = "Stale"), IfMatch.Revision(made.revision!!)) }
        }
        assertEquals(true, skills.delete(id, IfMatch.Revision(updated.revision!!)).value?.deleted)
    }

    @Test
    fun `a batch with a duplicate name writes nothing`() = runBlocking {
        val lobs = client.lobs()
        val before = lobs.list(null, false).value.size
        fun lob(name: String) = Lob(id = null, deleted = null, name = name, description = null, dateUpdated = null, extraJson = "{}")
        assertThrows<LpException.Conflict> { runBlocking { lobs.createMany(listOf(lob("Wholesale"), lob("Retail"))) } }
        assertEquals(before, lobs.list(null, false).value.size)
    }
}
