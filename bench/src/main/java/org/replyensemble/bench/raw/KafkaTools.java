package org.replyensemble.bench.raw;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.replyensemble.local.Processes;

/**
 * Kafka's own tools against the benchmark's broker, each in its own JVM from the broker's classpath
 * (local-run/target/kafka-lib): EndToEndLatency (produce one record, acks=all, wait until the
 * consumer has it, repeat) and ProducerPerformance (acks=all, as fast as it goes). Their output is
 * parsed; the raw text is kept in the run folder.
 */
public final class KafkaTools {

    public record EndToEnd(long count, double averageMs, double p50Ms, double p99Ms, double p999Ms) {
    }

    public record ProducerThroughput(long records, double recordsPerSecond, double p99Ms) {
    }

    private static final Pattern AVERAGE = Pattern.compile("Avg latency: ([0-9.]+) ms");
    private static final Pattern PERCENTILES = Pattern.compile("Percentiles: 50th = ([0-9.]+), 99th = ([0-9.]+), 99.9th = ([0-9.]+)");
    private static final Pattern PRODUCER = Pattern.compile(
            "(\\d+) records sent, ([0-9.]+) records/sec .*?, (\\d+) ms 99th");

    private final String bootstrapServers;
    private final String classpath;
    private final Path outputDir;

    public KafkaTools(String bootstrapServers, Path kafkaLib, Path outputDir) {
        this.bootstrapServers = bootstrapServers;
        this.classpath = kafkaLib.toAbsolutePath() + "/*";
        this.outputDir = outputDir;
    }

    /** The broker creates no topic on first use (auto.create.topics.enable=false, as in production). */
    public void createTopic(String name, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the topic " + name, e);
        }
    }

    /** Note: EndToEndLatency reports whole milliseconds. */
    public EndToEnd endToEndLatency(int count, int recordSize) {
        String topic = "bench.raw.end-to-end";
        createTopic(topic, 1);
        String out = run("end-to-end-latency", List.of("org.apache.kafka.tools.EndToEndLatency",
                bootstrapServers, topic, String.valueOf(count), "all", String.valueOf(recordSize)));
        Matcher average = AVERAGE.matcher(out);
        Matcher percentiles = PERCENTILES.matcher(out);
        if (!average.find() || !percentiles.find()) {
            throw new IllegalStateException("cannot read EndToEndLatency's output:\n" + out);
        }
        return new EndToEnd(count, Double.parseDouble(average.group(1)), Double.parseDouble(percentiles.group(1)),
                Double.parseDouble(percentiles.group(2)), Double.parseDouble(percentiles.group(3)));
    }

    public ProducerThroughput producerPerformance(int records, int recordSize) {
        String topic = "bench.raw.producer";
        createTopic(topic, 1);
        String out = run("producer-performance", List.of("org.apache.kafka.tools.ProducerPerformance",
                "--topic", topic, "--num-records", String.valueOf(records), "--record-size", String.valueOf(recordSize),
                "--throughput", "-1", "--producer-props", "bootstrap.servers=" + bootstrapServers, "acks=all"));
        Matcher matcher = PRODUCER.matcher(out);
        ProducerThroughput last = null;
        while (matcher.find()) { // the summary is the last line with percentiles
            last = new ProducerThroughput(Long.parseLong(matcher.group(1)), Double.parseDouble(matcher.group(2)),
                    Double.parseDouble(matcher.group(3)));
        }
        if (last == null) {
            throw new IllegalStateException("cannot read ProducerPerformance's output:\n" + out);
        }
        return last;
    }

    private String run(String name, List<String> mainAndArgs) {
        List<String> command = new ArrayList<>(List.of(Processes.javaExecutable(), "-Xmx512m",
                "-Dlog4j2.rootLogger.level=WARN", "-Dlog4j2.level=WARN", "-cp", classpath));
        command.addAll(mainAndArgs);
        Path output = outputDir.resolve(name + ".txt");
        try {
            Files.createDirectories(outputDir);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " took over 10 minutes; see " + output);
            }
            String text = Files.readString(output);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(name + " failed (exit " + process.exitValue() + "); see " + output);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
