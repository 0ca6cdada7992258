package org.replyensemble.support.security;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Prints the {@code {bcrypt}...} hash of a password, the form {@code accounts.users[n].password}
 * takes. The password is read from the terminal without echo (asked twice), or from the first
 * line of standard input when there is no terminal; it is never an argument, so it stays out of
 * the shell's history and the process list. Runs from any service's jar:
 * <pre>
 * java -cp post-service/target/post-service-*-exec.jar -Dloader.main=org.replyensemble.support.security.PasswordHash \
 *      org.springframework.boot.loader.launch.PropertiesLauncher [--cost 12]
 * </pre>
 * The cost (bcrypt's log2 rounds, default 10) is paid on every request an account signs in with
 * HTTP Basic: 10 takes tens of milliseconds on a small server, each step up doubles it.
 */
public final class PasswordHash {

    static final int DEFAULT_COST = 10;

    private PasswordHash() {
    }

    public static void main(String[] args) throws IOException {
        int cost = DEFAULT_COST;
        if (args.length == 2 && args[0].equals("--cost")) {
            cost = Integer.parseInt(args[1]);
        } else if (args.length != 0) {
            System.err.println("usage: PasswordHash [--cost 4..31]   (the password is read from the terminal or stdin)");
            System.exit(2);
        }
        char[] password = read();
        if (password == null || password.length == 0) {
            System.err.println("no password given");
            System.exit(1);
        }
        System.out.println(hash(new String(password), cost));
        Arrays.fill(password, '\0');
    }

    static String hash(String password, int cost) {
        return "{bcrypt}" + new BCryptPasswordEncoder(cost).encode(password);
    }

    private static char[] read() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] again = console.readPassword("Again: ");
            if (first == null || !Arrays.equals(first, again)) {
                System.err.println("the two passwords differ");
                System.exit(1);
            }
            Arrays.fill(again, '\0');
            return first;
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return line == null ? null : line.toCharArray();
    }
}
