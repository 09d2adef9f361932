package dev.lpconfig

import java.util.Collections
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** `client.sync()`: plan rows, apply with a progress observer, typed input errors. */
class SyncTest {
    private val rows = listOf(
        mapOf(
            "login_name" to "aisha.bello", "full_name" to "Aisha Bello", "email" to "aisha.bello@example.com",
            "roles" to "Agent", "group" to "Support/Billing/Refunds", "skills" to "Billing", "max_chats" to "4",
        ),
        mapOf("login_name" to "JANE.DOE", "skills" to "Billing;VIP", "max_chats" to "5"),
    )

    private fun options(prune: SyncPrune? = null) = SyncOptions(
        prune = prune, protectedLogins = emptyList(), allowMaskedBlank = true, initialPassword = null,
    )

    @Test
    fun `plan then apply rows, with progress, and check the account`() = runBlocking {
        Emulator().use { emu ->
            val client = emu.client()
            val sync = client.sync()
            val plan = sync.plan(rows, options())
            assertEquals(3uL, plan.length())
            val s = plan.summary()
            assertEquals(1u, s.groupsToCreate)
            assertEquals(1u, s.usersToCreate)
            assertEquals(1u, s.usersToUpdate)
            assertTrue(s.text.startsWith("Plan: 1 group to create"), s.text)
            assertEquals(
                listOf("create_group" to "Support/Billing/Refunds", "create_user" to "aisha.bello", "update_user" to "jane.doe"),
                plan.changes().map { it.kind to it.name },
            )
            val seen = Collections.synchronizedList(mutableListOf<SyncProgress>())
            val observer = object : SyncObserver {
                override fun onProgress(progress: SyncProgress) {
                    seen.add(progress)
                }
            }
            val report = sync.apply(plan, observer)
            assertEquals("done", report.outcome)
            assertEquals(true, report.verified)
            assertTrue(report.changes.all { it.applied })
            assertEquals(plan.changes().map { it.kind to it.name }, report.changes.map { it.kind to it.name })
            assertEquals("checking", seen.first().phase)
            assertEquals(3uL, seen.last().done)
            val aisha = requireNotNull(client.users().findByLoginName("aisha.bello"))
            assertEquals(4L, aisha.maxChats)
            val jane = requireNotNull(client.users().findByLoginName("jane.doe"))
            assertEquals(5L, jane.maxChats)
            assertEquals(0uL, sync.plan(rows, options()).length())
            // A saved plan reads back with the same changes.
            val again = SyncPlan.fromJson(plan.toJson())
            assertEquals(plan.changes(), again.changes())
            client.close()
        }
    }

    @Test
    fun `a cancel token stops after the current batch and the report says what was applied`() = runBlocking {
        Emulator().use { emu ->
            val client = emu.client()
            val sync = client.sync()
            val people = (1..5).map { mapOf("login_name" to "temp.$it", "full_name" to "Temp $it", "email" to "temp$it@example.com") }
            val plan = sync.plan(people, options())
            assertEquals(5uL, plan.length())
            val token = SyncCancelToken()
            // Called on the apply's task at each batch boundary: cancelling after the
            // second one-user batch stops before the third is sent.
            val observer = object : SyncObserver {
                override fun onProgress(progress: SyncProgress) {
                    if (progress.phase == "create_users" && progress.done >= 2uL) token.cancel()
                }
            }
            val report = sync.apply(plan, observer, token, 1u)
            assertEquals("cancelled", report.outcome)
            assertTrue(token.isCancelled())
            val applied = report.changes.filter { it.applied }.map { it.name }
            assertEquals(listOf("temp.1", "temp.2"), applied)
            val stored = client.users().list().value.mapNotNull { it.loginName }.filter { it.startsWith("temp.") }
            assertEquals(applied, stored.sorted())
            client.close()
        }
    }

    @Test
    fun `bad rows throw every problem with its position`() = runBlocking {
        Emulator().use { emu ->
            val client = emu.client()
            val bad = listOf(mapOf("login_name" to "a", "max_chats" to "lots"), mapOf("email" to "x@y"))
            val e = assertThrows<SyncException.Input> { runBlocking { client.sync().plan(bad, options()) } }
            assertEquals(listOf(1u, 2u), e.problems.map { it.line })
            assertTrue(e.problems[0].message.contains("max_chats"), e.problems[0].message)
            assertFalse(e.problems.any { it.path != "rows" })
            assertThrows<SyncException.PlanFormat> { SyncPlan.fromJson("{\"format\": \"other\"}") }
            client.close()
        }
    }
}
