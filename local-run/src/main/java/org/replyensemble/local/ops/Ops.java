package org.replyensemble.local.ops;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator commands of docs/operations.md, for any ensemble whose Kafka this machine reaches
 * (the local run's at localhost:9092, compose's at localhost:9094), without a Kafka distribution:
 * <pre>
 *   ./ops dead-letters list   [--bootstrap-server H:P] [--topic T.dlt] [--max N]
 *   ./ops dead-letters replay --topic T.dlt --partition P --offset O [--bootstrap-server H:P]
 *   ./ops lag                 [--bootstrap-server H:P] [--group G]
 * </pre>
 * The bootstrap server defaults to KAFKA_BOOTSTRAP_SERVERS, else localhost:9092.
 */
public final class Ops {

    private Ops() {
    }

    public static void main(String[] args) {
        int status = run(List.of(args), System.getenv(), System.out, System.err);
        System.exit(status);
    }

    /** Runs one command; returns the exit status (0 done, 1 failed, 2 usage). */
    public static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        try {
            Arguments arguments = Arguments.parse(args);
            String bootstrap = arguments.option("bootstrap-server",
                    environment.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"));
            switch (String.join(" ", arguments.words())) {
                case "dead-letters list" -> {
                    try (DeadLetters deadLetters = new DeadLetters(bootstrap)) {
                        deadLetters.list(arguments.optionOrNull("topic"), Integer.parseInt(arguments.option("max", "100")), out);
                    }
                }
                case "dead-letters replay" -> {
                    try (DeadLetters deadLetters = new DeadLetters(bootstrap)) {
                        deadLetters.replay(arguments.required("topic"), Integer.parseInt(arguments.required("partition")),
                                Long.parseLong(arguments.required("offset")), out);
                    }
                }
                case "lag" -> {
                    try (GroupLag lag = new GroupLag(bootstrap)) {
                        lag.print(arguments.optionOrNull("group"), out);
                    }
                }
                default -> {
                    err.println(usage());
                    return 2;
                }
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(usage());
            return 2;
        } catch (RuntimeException e) {
            err.println("failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        }
    }

    static String usage() {
        return """
                usage: ./ops dead-letters list   [--bootstrap-server H:P] [--topic T.dlt] [--max N]
                       ./ops dead-letters replay --topic T.dlt --partition P --offset O [--bootstrap-server H:P]
                       ./ops lag                 [--bootstrap-server H:P] [--group G]
                (the bootstrap server defaults to $KAFKA_BOOTSTRAP_SERVERS, else localhost:9092; compose publishes localhost:9094)""";
    }

    record Arguments(List<String> words, Map<String, String> options) {

        static Arguments parse(List<String> args) {
            List<String> words = new ArrayList<>();
            Map<String, String> options = new LinkedHashMap<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.startsWith("--")) {
                    String name = arg.substring(2);
                    String value;
                    int equals = name.indexOf('=');
                    if (equals >= 0) {
                        value = name.substring(equals + 1);
                        name = name.substring(0, equals);
                    } else if (i + 1 < args.size()) {
                        value = args.get(++i);
                    } else {
                        throw new IllegalArgumentException("--" + name + " needs a value");
                    }
                    options.put(name, value);
                } else {
                    words.add(arg);
                }
            }
            return new Arguments(words, options);
        }

        String option(String name, String fallback) {
            return options.getOrDefault(name, fallback);
        }

        String optionOrNull(String name) {
            return options.get(name);
        }

        String required(String name) {
            String value = options.get(name);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return value;
        }
    }
}
