package org.replyensemble.posts;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Owns the posts: the REST API writes them and publishes their state through the outbox. */
@SpringBootApplication
@org.springframework.scheduling.annotation.EnableScheduling
public class PostServiceApplication {

    public static final String NAME = "post-service";

    public static void main(String[] args) {
        application().run(args);
    }

    /** spring.config.name keeps this service's settings apart when several services share a classpath (system tests). */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(PostServiceApplication.class).properties("spring.config.name=" + NAME);
    }
}
