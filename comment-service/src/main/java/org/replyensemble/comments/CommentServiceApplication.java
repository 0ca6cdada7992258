package org.replyensemble.comments;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Owns the threaded comments; knows posts only from their events (its replica). */
@SpringBootApplication
public class CommentServiceApplication {

    public static final String NAME = "comment-service";

    public static void main(String[] args) {
        application().run(args);
    }

    /** spring.config.name keeps this service's settings apart when several services share a classpath (system tests). */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(CommentServiceApplication.class).properties("spring.config.name=" + NAME);
    }
}
