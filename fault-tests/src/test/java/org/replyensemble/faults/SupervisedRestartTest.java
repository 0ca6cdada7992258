package org.replyensemble.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.replyensemble.local.services.RestartPolicy;
import org.replyensemble.local.services.ServiceProcess;
import org.replyensemble.local.services.Supervisor;

/**
 * The local run's supervisor over a real notification-service process: killed with SIGKILL from
 * outside (as the OOM killer would), it is started again on the same database and Kafka group,
 * says so, and every comment of the thread, those written while it was down included, is mailed
 * to each recipient once. The kill comes between two halves of the burst, when nothing is in
 * flight, so "once" is exact here; NotificationCrashTest measures the mid-send window.
 */
class SupervisedRestartTest {

    private final FaultEnsemble ensemble = FaultEnsemble.shared();
    private final Blog blog = ensemble.blog();

    @Test
    void aKilledServiceIsRestartedAndMailsEveryCommentOnce() {
        List<String> console = new CopyOnWriteArrayList<>();
        Supervisor supervisor = new Supervisor(new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(5), 3,
                Duration.ofMinutes(10)), Duration.ofMinutes(2), console::add, Clock.systemUTC());
        ensemble.stopAllNotifications();
        ServiceProcess process = null;
        try {
            process = supervisor.watch(ensemble.startNotificationProcess());
            ThreadLog thread = blog.publish("Supervised", person("uma"));
            for (String name : List.of("vic", "wes", "xia")) {
                blog.comment(thread, person(name), null);
            }
            ensemble.awaitSettled(List.of(thread));

            long killed = process.pid();
            ProcessHandle.of(killed).orElseThrow().destroyForcibly();
            await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(killed).map(p -> !p.isAlive()).orElse(true));
            for (String name : List.of("yan", "zoe", "abe")) {
                blog.comment(thread, person(name), null);
            }

            await().atMost(Duration.ofMinutes(3)).until(() -> console.stream().anyMatch(l -> l.contains("is healthy again")));
            assertThat(console.get(0)).startsWith("!! notification-service stopped (exit code 137); restarting it in 1 s (restart 1 of at most 3");
            assertThat(process.isAlive()).isTrue();
            assertThat(process.pid()).as("a new process").isNotEqualTo(killed);
            ensemble.awaitSettled(List.of(thread));
            Figures.count("supervisor restart", "notification-service process killed (SIGKILL) between two halves of a"
                    + " burst, restarted by the local run's supervisor", List.of(thread), ensemble.mailbox).assertExactlyOnce();
        } finally {
            supervisor.close();
            if (process != null) {
                process.close();
            }
            ensemble.startNotifications();
        }
    }

    private static Blog.Person person(String name) {
        return new Blog.Person(name, name + "@supervised.faults.example.org");
    }
}
