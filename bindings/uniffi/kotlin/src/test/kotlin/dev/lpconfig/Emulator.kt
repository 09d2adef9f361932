package dev.lpconfig

import java.io.BufferedReader
import java.io.File
import java.util.concurrent.TimeUnit

/**
 * A `lpconfig-emulator --port 0` subprocess (path from the `lpconfig.emulator`
 * system property, set by the pom). The URL is read from its first stdout line.
 */
class Emulator(vararg faults: String) : AutoCloseable {
    private val process: Process
    val url: String

    init {
        val binary = System.getProperty("lpconfig.emulator")
            ?: error("system property lpconfig.emulator is not set")
        check(File(binary).canExecute()) { "$binary is not built (cargo build -p lpconfig-emulator)" }
        val command = mutableListOf(binary, "--port", "0", "--seed", "demo")
        faults.forEach { command += listOf("--fault", it) }
        process = ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start()
        val out: BufferedReader = process.inputStream.bufferedReader()
        val first = out.readLine() ?: error("lpconfig-emulator exited before printing its URL")
        url = first.substringAfter("listening on ").trim()
        check(url.startsWith("http://127.0.0.1:")) { "unexpected first line: $first" }
    }

    /** A client for the demo account as `admin`, with retries shortened to milliseconds. */
    fun client(password: String = DEMO_PASSWORD): Client = Client(
        ClientConfig(
            account = "demo",
            credentials = Credentials.Password(username = "admin", password = Secret(password)),
            csdsUrl = url,
            retryDelaysMs = listOf(10uL),
            rateLimitBaseMs = 10uL,
        ),
    )

    override fun close() {
        process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
    }

    companion object {
        const val DEMO_PASSWORD = "demo-password-1"
        const val MAIN_GROUP = -1L
        const val SUPPORT_GROUP = 1001L
        const val SKILL_VIP = 2359236212L
        const val PROFILE_AGENT = 2359273712L
    }
}
