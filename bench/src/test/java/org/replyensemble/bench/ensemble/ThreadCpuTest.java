package org.replyensemble.bench.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The thread table's sums: per kind of thread, from the kernel's own counts. */
class ThreadCpuTest {

    @Test
    void threadsOfAKindAreSummedAndAReusedIdStartsFromZero() {
        Map<String, Map<String, ThreadCpu.ThreadTimes>> before = Map.of("svc", Map.of(
                "1", new ThreadCpu.ThreadTimes("http-nio-1-exec-1", 1_000_000_000L, 0),
                "2", new ThreadCpu.ThreadTimes("http-nio-1-exec-2", 2_000_000_000L, 0),
                "3", new ThreadCpu.ThreadTimes("old-thread", 5_000_000_000L, 5_000_000_000L)));
        Map<String, Map<String, ThreadCpu.ThreadTimes>> after = Map.of("svc", Map.of(
                "1", new ThreadCpu.ThreadTimes("http-nio-1-exec-1", 1_500_000_000L, 1_000_000_000L),
                "2", new ThreadCpu.ThreadTimes("http-nio-1-exec-2", 2_250_000_000L, 0),
                // thread id 3 now belongs to a thread born in the step: all of its time is the step's
                "3", new ThreadCpu.ThreadTimes("C2 CompilerThread0", 300_000_000L, 100_000_000L)));

        List<ThreadCpu.Group> used = ThreadCpu.used(before, after);

        assertThat(used).extracting(ThreadCpu.Group::threads).containsExactly("http-nio-#-exec-#", "C# CompilerThread#");
        assertThat(used.get(0).cpuSeconds()).isEqualTo(0.75);
        assertThat(used.get(0).waitSeconds()).isEqualTo(1.0);
        assertThat(used.get(1).cpuSeconds()).isEqualTo(0.3);
    }

    @Test
    void aBusyThreadOfThisJvmShowsItsOwnCpu() throws InterruptedException {
        long pid = ProcessHandle.current().pid();
        Map<String, Map<String, ThreadCpu.ThreadTimes>> before = Map.of("self", ThreadCpu.threads(pid));
        ThreadMXBean jvm = ManagementFactory.getThreadMXBean();
        CountDownLatch spun = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread busy = new Thread(() -> {
            long start = jvm.getCurrentThreadCpuTime();
            while (jvm.getCurrentThreadCpuTime() - start < 200_000_000L) {
                Thread.onSpinWait();
            }
            spun.countDown();
            try {
                release.await(); // alive while it is sampled: an ended thread takes its counts with it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "busy-42");
        busy.start();
        try {
            assertThat(spun.await(30, TimeUnit.SECONDS)).isTrue();
            List<ThreadCpu.Group> used = ThreadCpu.used(before, Map.of("self", ThreadCpu.threads(pid)));

            assertThat(used).filteredOn(group -> group.threads().equals("busy-#")).singleElement()
                    .satisfies(group -> assertThat(group.cpuSeconds()).isBetween(0.2, 5.0));
        } finally {
            release.countDown();
            busy.join();
        }
    }
}
