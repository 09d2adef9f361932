package dev.lpconfig

import java.io.File
import kotlinx.coroutines.runBlocking
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows

/**
 * The shared sync scenarios of the repository (the JSON files in `tests/sync`, format:
 * `tests/README.md`) through the Kotlin API: the same input must give the same plan
 * summary and final state as in every other language.
 */
class SyncScenariosTest {
    private val dir = File("../../../tests/sync")

    /** A JSON cell as CSV-cell text: lists joined with `;`. */
    private fun cell(v: Any): String = when (v) {
        is JSONArray -> (0 until v.length()).joinToString(";") { v.get(it).toString() }
        else -> v.toString()
    }

    private fun rows(a: JSONArray): List<Map<String, String>> = (0 until a.length()).map { i ->
        val o = a.getJSONObject(i)
        o.keySet().filter { !o.isNull(it) }.associateWith { cell(o.get(it)) }
    }

    private fun options(o: JSONObject) = SyncOptions(
        prune = when (o.optString("prune", "off")) {
            "disable" -> SyncPrune.DISABLE
            "delete" -> SyncPrune.DELETE
            else -> null
        },
        protectedLogins = o.optJSONArray("protected_logins")?.let { a -> (0 until a.length()).map { a.getString(it) } }
            ?: emptyList(),
        allowMaskedBlank = o.optBoolean("allow_masked_blank", false),
        initialPassword = if (o.has("initial_password")) Secret(o.getString("initial_password")) else null,
        createMissingCatalogEntries = o.optBoolean("create_missing_catalog_entries", false),
    )

    private fun strings(a: JSONArray?): List<String> = a?.let { (0 until it.length()).map { i -> it.getString(i) } } ?: emptyList()

    /** The account as staff-file values by login name. */
    private suspend fun state(client: Client): Pair<Map<String, Map<String, Any?>>, Set<String>> {
        val groups = client.agentGroups().list(null, false).value.associateBy { it.id }
        val root = groups.values.firstOrNull { it.parentGroupId == null }?.id ?: -1L
        fun path(id: Long): String {
            val parts = mutableListOf<String>()
            var cur: Long? = id
            while (cur != null && groups.containsKey(cur) && parts.size < 64) {
                if (cur == root && parts.isNotEmpty()) break
                val g = groups.getValue(cur)
                parts += g.name ?: cur.toString()
                cur = if (g.parentGroupId != g.id) g.parentGroupId else null
            }
            return parts.reversed().joinToString("/")
        }
        val skills = client.skills().list(null, false).value.associate { it.id to it.name }
        val profiles = client.profiles().list(null, false).value.associate { it.id to it.name }
        val lobs = client.lobs().list(null, false).value.associate { it.id to it.name }
        val users = client.users().list(null, false).value.filter { it.loginName != null && it.deleted != true }
            .associate { u ->
                val group = u.memberOf?.agentGroupId
                u.loginName!! to mapOf(
                    "email" to u.email,
                    "nickname" to u.nickname,
                    "description" to u.description,
                    "enabled" to u.isEnabled,
                    "max_chats" to u.maxChats,
                    "max_async_chats" to u.maxAsyncChats,
                    "group" to group?.let { path(it) },
                    "roles" to u.profileIds.map { profiles[it] ?: it.toString() }.sorted(),
                    "skills" to u.skillIds.map { skills[it] ?: it.toString() }.sorted(),
                    "lobs" to u.lobIds.map { lobs[it] ?: it.toString() }.sorted(),
                    "manager_of" to u.managerOf.mapNotNull { it.agentGroupId }.map { path(it) }.sorted(),
                )
            }
        return users to groups.keys.filterNotNull().map { path(it) }.toSet()
    }

    /** An expected JSON value as the Kotlin value `state` holds. */
    private fun expected(v: Any): Any? = when (v) {
        JSONObject.NULL -> null
        is JSONArray -> (0 until v.length()).map { v.get(it).toString() }
        is Int -> v.toLong()
        else -> v
    }

    @TestFactory
    fun scenarios(): List<DynamicTest> {
        val files = dir.listFiles { f -> f.name.endsWith(".json") }?.sortedBy { it.name } ?: emptyList()
        assertTrue(files.size >= 4, "scenarios in ${dir.absolutePath}: $files")
        return files.map { file -> DynamicTest.dynamicTest(file.name) { runBlocking { run(JSONObject(file.readText())) } } }
    }

    private suspend fun run(s: JSONObject) {
        assertEquals("demo", s.getString("account"))
        Emulator().use { emu ->
            val client = emu.client()
            val sync = client.sync()
            val rows = rows(s.getJSONArray("rows"))
            val groups = s.optJSONArray("groups")?.let { rows(it) }
            val opts = options(s.getJSONObject("options"))
            // Kotlin reads the rows and checks their names in one call: it expects the union.
            val errors = strings(s.optJSONArray("expect_errors")) + strings(s.optJSONArray("expect_errors_after_names"))
            if (errors.isNotEmpty()) {
                val e = assertThrows<SyncException.Input> { runBlocking { sync.plan(rows, opts, groups) } }
                val got = e.problems.map { "${it.path}:${it.line}:${it.column}: ${it.message}" }
                errors.forEach { want -> assertTrue(got.any { it.contains(want) }, "$want in $got") }
                return
            }
            val plan = sync.plan(rows, opts, groups)
            val summary = plan.summary()
            val counts = mapOf(
                "groups_to_create" to summary.groupsToCreate, "groups_to_move" to summary.groupsToMove,
                "groups_to_update" to summary.groupsToUpdate,
                "skills_to_create" to summary.skillsToCreate, "lobs_to_create" to summary.lobsToCreate,
                "users_to_create" to summary.usersToCreate, "users_to_update" to summary.usersToUpdate,
                "users_to_disable" to summary.usersToDisable, "users_to_delete" to summary.usersToDelete,
                "unchanged" to summary.unchanged,
            )
            val want = s.getJSONObject("expect_plan").getJSONObject("summary")
            want.keySet().forEach { k -> assertEquals(want.getInt(k).toUInt(), counts[k], "$k: ${summary.text}") }
            strings(s.getJSONObject("expect_plan").optJSONArray("warnings_contain")).forEach { w ->
                assertTrue(plan.warnings().any { it.contains(w) }, "$w in ${plan.warnings()}")
            }
            val report = sync.apply(plan, null)
            assertEquals("done", report.outcome)
            assertTrue(report.changes.all { it.applied })
            assertEquals(true, report.verified, report.json)

            val (users, paths) = state(client)
            val expectUsers = s.optJSONObject("expect_users") ?: JSONObject()
            expectUsers.keySet().forEach { login ->
                if (expectUsers.isNull(login)) {
                    assertTrue(login !in users, "$login should not exist")
                } else {
                    val u = users[login] ?: error("$login missing")
                    val w = expectUsers.getJSONObject(login)
                    w.keySet().forEach { k -> assertEquals(expected(w.get(k)), u[k], "$login.$k") }
                }
            }
            strings(s.optJSONArray("expect_groups")).forEach { assertTrue(it in paths, "group $it in $paths") }
            client.close()
        }
    }
}
