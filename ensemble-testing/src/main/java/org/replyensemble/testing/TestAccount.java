package org.replyensemble.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * An account a test gives a service ({@code accounts.users[n].*}) and signs in with over HTTP Basic.
 * The password is random for each test JVM; the service gets only its bcrypt hash, with cost 4 so
 * signing in stays fast in tests (production hashes use 10 or more).
 */
public record TestAccount(String username, String password, String name, String email, List<String> roles) {

    private static final BCryptPasswordEncoder FAST_BCRYPT = new BCryptPasswordEncoder(4);

    public static TestAccount author(String username, String name, String email) {
        return new TestAccount(username, UUID.randomUUID().toString(), name, email, List.of("AUTHOR"));
    }

    public static TestAccount operator(String username) {
        return new TestAccount(username, UUID.randomUUID().toString(), "Operator " + username, null, List.of("OPERATOR"));
    }

    /** The value of an {@code Authorization} header for this account. */
    public String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The same account with another password: what a wrong password looks like. */
    public TestAccount withWrongPassword() {
        return new TestAccount(username, password + "-wrong", name, email, roles);
    }

    /** {@code accounts.users[i].*} for these accounts, each password as a fresh bcrypt hash. */
    public static Map<String, String> properties(TestAccount... accounts) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < accounts.length; i++) {
            TestAccount account = accounts[i];
            String prefix = "accounts.users[" + i + "].";
            properties.put(prefix + "username", account.username);
            properties.put(prefix + "password", "{bcrypt}" + FAST_BCRYPT.encode(account.password));
            properties.put(prefix + "name", account.name);
            if (account.email != null) {
                properties.put(prefix + "email", account.email);
            }
            properties.put(prefix + "roles", String.join(",", account.roles));
        }
        return properties;
    }

    /** The same as {@code --key=value} arguments, for a Spring application started in a test. */
    public static List<String> arguments(TestAccount... accounts) {
        List<String> arguments = new ArrayList<>();
        properties(accounts).forEach((key, value) -> arguments.add("--" + key + "=" + value));
        return arguments;
    }

    @Override
    public String toString() {
        return "TestAccount[" + username + ", " + roles + "]";
    }
}
