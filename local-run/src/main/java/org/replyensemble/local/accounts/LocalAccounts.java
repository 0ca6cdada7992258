package org.replyensemble.local.accounts;

import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The accounts of one local run, made on every start: an author (the seed post's author, so the
 * replay publishes the post as them) and an operator, each with a random password. The services get
 * only bcrypt hashes, through the environment ({@code ACCOUNTS_USERS_0_*} and {@code _1_*}); the
 * launcher prints the passwords. Nothing of it outlives the run, and nothing in the repository
 * works as a password anywhere.
 */
public record LocalAccounts(Account author, Account operator) {

    /** Accounts 0 and 1 are the local run's; a user's own accounts start at index 2. */
    public static final int FIRST_FREE_INDEX = 2;
    private static final BCryptPasswordEncoder BCRYPT = new BCryptPasswordEncoder(10);

    public record Account(String username, String password, String name, String email, String role) {

        public Credentials credentials() {
            return Credentials.basic(username, password);
        }

        @Override
        public String toString() {
            return "Account[" + username + ", " + role + "]";
        }
    }

    /** New accounts with new random passwords; the author has this name and address. */
    public static LocalAccounts create(String authorName, String authorEmail) {
        return new LocalAccounts(
                new Account(usernameFor(authorName), randomPassword(), authorName, authorEmail, "AUTHOR"),
                new Account("operator", randomPassword(), "Local operator", null, "OPERATOR"));
    }

    /** What every service gets: the accounts with their passwords hashed. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        List<Account> accounts = List.of(author, operator);
        for (int i = 0; i < accounts.size(); i++) {
            Account account = accounts.get(i);
            String prefix = "ACCOUNTS_USERS_" + i + "_";
            env.put(prefix + "USERNAME", account.username());
            env.put(prefix + "PASSWORD", "{bcrypt}" + BCRYPT.encode(account.password()));
            env.put(prefix + "NAME", account.name());
            if (account.email() != null) {
                env.put(prefix + "EMAIL", account.email());
            }
            env.put(prefix + "ROLES", account.role());
        }
        return env;
    }

    /** "Arrow Durfee" signs in as "arrow.durfee". */
    static String usernameFor(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
        String username = ascii.replaceAll("[^a-z0-9]+", ".").replaceAll("^\\.+|\\.+$", "");
        return username.isEmpty() ? "author" : username.length() > 40 ? username.substring(0, 40) : username;
    }

    /** 144 random bits. */
    static String randomPassword() {
        return Secrets.random(18);
    }
}
