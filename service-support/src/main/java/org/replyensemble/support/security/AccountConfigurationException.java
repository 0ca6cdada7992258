package org.replyensemble.support.security;

import java.util.List;

/**
 * The configured accounts cannot be used (a plaintext password, a missing address...). Thrown at
 * start-up, so a service never runs with an account that does not work as the operator meant.
 * The message names each account and what is wrong, never a password.
 */
public class AccountConfigurationException extends IllegalStateException {

    private final List<String> problems;

    AccountConfigurationException(List<String> problems) {
        super("The configured accounts cannot be used:\n - " + String.join("\n - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
