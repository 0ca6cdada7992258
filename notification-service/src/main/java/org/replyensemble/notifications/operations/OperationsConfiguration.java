package org.replyensemble.notifications.operations;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** What an operator reads of the mail side: the {@code mail} health component and the delivery backlog's age. */
@Configuration(proxyBeanMethods = false)
class OperationsConfiguration {

    /** Named so the component is {@code mail} in /actuator/health (Boot's own is switched off). */
    @Bean("mailHealthIndicator")
    MailServerWatch mailServerWatch(JavaMailSender mailSender, MeterRegistry meters,
                                    @Value("${notifications.mail-check.interval:15s}") Duration interval) {
        if (!(mailSender instanceof JavaMailSenderImpl impl)) {
            throw new IllegalStateException("the mail check needs Spring's JavaMailSenderImpl, found " + mailSender.getClass());
        }
        return new MailServerWatch(impl, interval, meters, Clock.systemUTC());
    }

    @Bean
    OldestPendingDelivery oldestPendingDelivery(JdbcClient jdbc, MeterRegistry meters) {
        return new OldestPendingDelivery(jdbc, meters, Clock.systemUTC());
    }
}
