package org.replyensemble.local.kafka;

import java.nio.file.Path;

/**
 * The server.properties of a single-node KRaft broker (broker and controller in one process,
 * listening on 127.0.0.1 only). Internal topics get replication factor and min ISR 1; topics are
 * not created on first use, as in production: the services declare theirs.
 */
public record BrokerConfig(int port, int controllerPort, Path logDir) {

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public String serverProperties() {
        return String.join("\n",
                "# Written by the local launcher for this run only.",
                "process.roles=broker,controller",
                "node.id=1",
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "controller.listener.names=CONTROLLER",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "log.dirs=" + logDir.toAbsolutePath().toString().replace("\\", "/"),
                "num.partitions=6",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "min.insync.replicas=1",
                "group.initial.rebalance.delay.ms=0",
                "") ;
    }

    /** Log4j2 settings for the broker: INFO to stdout, which the launcher sends to the broker's log file. */
    public static String log4j2Properties() {
        return String.join("\n",
                "status = warn",
                "appender.out.type = Console",
                "appender.out.name = OUT",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.out.ref = OUT",
                "logger.controller.name = org.apache.kafka.controller",
                "logger.controller.level = WARN",
                "logger.state.name = state.change.logger",
                "logger.state.level = WARN",
                "");
    }
}
