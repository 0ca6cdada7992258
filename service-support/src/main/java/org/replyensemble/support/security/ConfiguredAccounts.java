package org.replyensemble.support.security;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.replyensemble.support.text.ControlCharacters;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * The accounts of {@code accounts.users}, checked once at start-up: a password must be a bcrypt
 * hash in Spring Security's {@code {bcrypt}...} form (a {@code {noop}} or unprefixed plaintext
 * password is refused, so a leaked configuration file gives nobody a working password), every
 * AUTHOR has a valid address, names are safe to put into an email header. Usernames compare
 * case-insensitively, as Spring Security's own in-memory accounts do.
 */
public final class ConfiguredAccounts implements UserDetailsService {

    static final String ID_PREFIX = "basic:";
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@+-]{1,100}");
    private static final Pattern ENCODED = Pattern.compile("\\{([^}]*)}(.*)", Pattern.DOTALL);
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]?\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    private record Entry(Account account, String username, String passwordHash) {
    }

    private final Map<String, Entry> byUsername;

    public ConfiguredAccounts(List<AccountProperties.User> users) {
        Map<String, Entry> accounts = new LinkedHashMap<>();
        Set<String> usernames = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            AccountProperties.User user = users.get(i);
            String where = "accounts.users[" + i + "]" + (user.username() == null ? "" : " (" + user.username() + ")");
            List<String> wrong = problemsOf(user);
            String key = user.username() == null ? null : user.username().toLowerCase(Locale.ROOT);
            if (key != null && !usernames.add(key)) {
                wrong.add("username: another account already has it");
            }
            wrong.forEach(problem -> problems.add(where + ": " + problem));
            if (wrong.isEmpty()) {
                String name = user.name() == null || user.name().isBlank() ? user.username() : user.name().strip();
                String email = user.email() == null || user.email().isBlank() ? null : user.email().strip();
                accounts.put(key, new Entry(new Account(ID_PREFIX + key, name, email, roles(user.roles())),
                        user.username(), user.password()));
            }
        }
        if (!problems.isEmpty()) {
            throw new AccountConfigurationException(problems);
        }
        this.byUsername = Map.copyOf(accounts);
    }

    public int size() {
        return byUsername.size();
    }

    /** A new object each time: Spring Security erases the password hash of the one it authenticated. */
    @Override
    public UserDetails loadUserByUsername(String username) {
        Entry entry = username == null ? null : byUsername.get(username.toLowerCase(Locale.ROOT));
        if (entry == null) {
            throw new UsernameNotFoundException("no such account");
        }
        return new AccountUser(entry.account(), entry.username(), entry.passwordHash());
    }

    private static List<String> problemsOf(AccountProperties.User user) {
        List<String> problems = new ArrayList<>();
        if (user.username() == null || !USERNAME.matcher(user.username()).matches()) {
            problems.add("username: 1 to 100 letters, digits or . _ @ + -");
        }
        passwordProblem(user.password()).ifPresent(problem -> problems.add("password: " + problem));
        if (user.name() != null && (user.name().strip().length() > Account.MAX_NAME_LENGTH
                || ControlCharacters.containsAny(user.name()))) {
            problems.add("name: at most " + Account.MAX_NAME_LENGTH + " characters, no control characters or line breaks");
        }
        boolean hasEmail = user.email() != null && !user.email().isBlank();
        if (hasEmail && !Account.isValidAddress(user.email().strip())) {
            problems.add("email: not a valid address");
        }
        List<String> unknown = user.roles().stream().filter(role -> Role.parse(role).isEmpty()).toList();
        if (user.roles().isEmpty() || !unknown.isEmpty()) {
            problems.add("roles: one or more of " + List.of(Role.values()) + (unknown.isEmpty() ? "" : ", not " + unknown));
        } else if (!hasEmail && roles(user.roles()).contains(Role.AUTHOR)) {
            problems.add("email: an AUTHOR needs one (posts are published under it)");
        }
        return problems;
    }

    /** Why a configured password cannot be used, or nothing when it is a well-formed {bcrypt} hash. */
    static Optional<String> passwordProblem(String password) {
        if (password == null || password.isBlank()) {
            return Optional.of("missing; give a {bcrypt} hash of the password");
        }
        Matcher encoded = ENCODED.matcher(password);
        if (!encoded.matches()) {
            return Optional.of(BCRYPT.matcher(password).matches()
                    ? "a bcrypt hash without its {bcrypt} prefix; write {bcrypt} in front of it"
                    : "not hashed: plaintext passwords are refused; give a {bcrypt} hash of it");
        }
        String id = encoded.group(1);
        if (id.equalsIgnoreCase("noop")) {
            return Optional.of("{noop} (plaintext) passwords are refused; give a {bcrypt} hash of it");
        }
        if (!id.equals("bcrypt")) {
            // The text between the braces is not repeated: a plaintext password could start with a brace.
            return Optional.of("hashed with another encoder than {bcrypt}, which is the only one accepted");
        }
        if (!BCRYPT.matcher(encoded.group(2)).matches()) {
            return Optional.of("not a well-formed bcrypt hash ($2a$, $2b$ or $2y$, a cost of 04 to 31, 53 more characters)");
        }
        return Optional.empty();
    }

    private static Set<Role> roles(List<String> names) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        names.forEach(name -> Role.parse(name).ifPresent(roles::add));
        return roles;
    }
}
