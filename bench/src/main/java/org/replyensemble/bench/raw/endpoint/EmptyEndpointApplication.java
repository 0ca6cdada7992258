package org.replyensemble.bench.raw.endpoint;

import java.util.Map;
import java.util.UUID;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The raw limit of the HTTP stack: the same Spring Boot, Tomcat and Jackson as comment-service, the
 * same path and body, but no database, no outbox: it parses the comment and answers 201. Started as
 * its own JVM with the services' JVM options and driven by the same load generator.
 */
@SpringBootApplication
@RestController
public class EmptyEndpointApplication {

    public static void main(String[] args) {
        SpringApplication.run(EmptyEndpointApplication.class, args);
    }

    @PostMapping("/api/posts/{postId}/comments")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> comment(@PathVariable UUID postId, @RequestBody Map<String, Object> comment) {
        return Map.of("id", UUID.randomUUID(), "postId", postId, "position", 1, "body", comment.getOrDefault("body", ""));
    }
}
