package dev.lpconfig

import java.lang.reflect.Modifier
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The generated Kotlin API has the core's surface (`lpconfig::surface`, via `surface()`). */
class ParityTest {
    private val core = JSONObject(surface())

    private fun camel(s: String) =
        s.split('_').mapIndexed { i, p -> if (i == 0) p else p.replaceFirstChar { it.uppercase() } }.joinToString("")

    private fun list(key: String) = core.getJSONArray(key).let { a -> (0 until a.length()).map { a.getString(it) } }

    @Test
    fun `every core method is a method of the generated classes`() {
        // uniffi.toml renames Client.close to logout (Kotlin objects' close() frees the handle).
        val renamed = mapOf("close" to "logout")
        val classes = mapOf(
            "client" to listOf(Client::class.java),
            "users" to listOf(Users::class.java),
            "agentGroups" to listOf(AgentGroups::class.java),
            "catalog" to listOf(Skills::class.java, Profiles::class.java, Lobs::class.java),
        )
        for ((key, kinds) in classes) {
            for (cls in kinds) {
                // Methods taking a ULong (revisions) get a mangled JVM name: `listIfModified-<hash>`.
                val methods = cls.methods.map { it.name.substringBefore('-') }.toSet()
                for (name in list(key)) {
                    val want = renamed[name] ?: camel(name)
                    assertTrue(want in methods, "${cls.simpleName} has no $want")
                }
            }
        }
    }

    @Test
    fun `every core entity field is a property of the generated record`() {
        val entities = core.getJSONObject("entities")
        assertEquals(setOf("User", "GroupLink", "AgentGroup", "Skill", "Profile", "Lob"), entities.keySet())
        for (name in entities.keySet()) {
            val props = Class.forName("dev.lpconfig.$name").declaredFields
                .filter { !Modifier.isStatic(it.modifiers) }.map { it.name }.toSet()
            val wire = entities.getJSONArray(name).let { a -> (0 until a.length()).map { a.getString(it) } }
            // The record keeps the Rust field name where the wire name differs.
            val want = wire.map { if (it == "passwordSh") "password" else it }.toSet() + "extraJson"
            assertEquals(want, props, name)
        }
    }

    @Test
    fun `every core error code is an LpException subclass`() {
        val codes = list("errorCodes").toSet()
        val kinds = LpException::class.java.declaredClasses
            .filter { LpException::class.java.isAssignableFrom(it) }
            .map { "ERR_" + it.simpleName.replace(Regex("([a-z])([A-Z])"), "$1_$2").uppercase() }
            .toSet()
        assertEquals(codes, kinds)
    }
}
