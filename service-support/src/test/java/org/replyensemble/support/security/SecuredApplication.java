package org.replyensemble.support.security;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** A service as small as can be, with the shared security and rules of each kind the services use. */
@SpringBootApplication
public class SecuredApplication {

    /** How often a state-changing endpoint really ran: a refused request must leave it as it was. */
    static final AtomicInteger changes = new AtomicInteger();

    @Bean
    AccessRules rules() {
        return rules -> rules
                .requestMatchers(HttpMethod.GET, "/public").permitAll()
                .requestMatchers(HttpMethod.POST, "/public-form").permitAll()
                .requestMatchers(HttpMethod.POST, "/api/articles").hasRole(Role.AUTHOR.name())
                .requestMatchers("/api/operations/**").hasRole(Role.OPERATOR.name());
    }

    @RestController
    static class Endpoints {

        @GetMapping("/public")
        String open() {
            return "open";
        }

        /** Like the unsubscribe page's form: anonymous, posted by a browser. */
        @PostMapping("/public-form")
        String publicForm() {
            changes.incrementAndGet();
            return "done";
        }

        @PostMapping("/api/articles")
        @ResponseStatus(HttpStatus.CREATED)
        Map<String, Object> publish(Account account, @RequestBody Map<String, Object> article) {
            changes.incrementAndGet();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("account", account.id());
            answer.put("name", account.name());
            answer.put("hasAddress", account.email() != null);
            answer.put("title", article.get("title"));
            return answer;
        }

        /** Like a retry: no body. */
        @PostMapping("/api/operations/retry")
        String retry(Account account) {
            changes.incrementAndGet();
            return "retried by " + account.id();
        }
    }
}
