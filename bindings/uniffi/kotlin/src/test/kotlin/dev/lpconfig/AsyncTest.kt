package dev.lpconfig

import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/**
 * `suspend` calls must not block the caller's thread: `runBlocking` gives the
 * test one thread, the emulator holds every users GET for 400 ms, and a ticker
 * coroutine on that same thread must keep running while both calls are pending.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AsyncTest {
    private val emu = Emulator("""{"method":"GET","path":"*/users","action":{"type":"latency","ms":400}}""")
    private val client = emu.client()

    @AfterAll
    fun stop() {
        runBlocking { client.logout() }
        client.close()
        emu.close()
    }

    @Test
    fun `two concurrent calls leave the caller's thread free`() = runBlocking {
        client.login()
        val callerThread = Thread.currentThread()
        var ticks = 0
        var ticksWhenDone = -1
        val first = async { client.users().list() }
        val second = async { client.users().list(select = "id,loginName") }
        val ticker = launch {
            while (true) {
                assertEquals(callerThread, Thread.currentThread())
                ticks++
                delay(20)
            }
        }
        val a = first.await()
        val b = second.await()
        ticksWhenDone = ticks
        ticker.cancel()
        assertEquals(a.value.size, b.value.size)
        assertTrue(ticksWhenDone >= 3, "the caller's thread ran only $ticksWhenDone ticks while the calls were pending")
    }
}
