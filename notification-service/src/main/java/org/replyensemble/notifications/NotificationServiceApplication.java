package org.replyensemble.notifications;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Keeps each thread's participants and emails the earlier participants when someone replies. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class NotificationServiceApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /** spring.config.name keeps this service's settings apart when several services share a classpath (system tests). */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(NotificationServiceApplication.class)
                .properties("spring.config.name=notification-service");
    }
}
