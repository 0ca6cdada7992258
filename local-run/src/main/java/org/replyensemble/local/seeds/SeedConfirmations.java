package org.replyensemble.local.seeds;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.replyensemble.local.accounts.Credentials;
import org.replyensemble.local.mail.CaughtMail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Confirms the addresses of a replayed thread, so its reply emails (held until then) go out:
 * <ul>
 *   <li>as each reader would, when the launcher can read the mail: the confirmation email's link
 *       opened (GET: the page must show the confirm button) and its form submitted (POST);</li>
 *   <li>through the operator call {@code POST /api/addresses/confirmations} when the mail goes to a
 *       server the launcher cannot read ({@code SPRING_MAIL_HOST} set).</li>
 * </ul>
 */
public final class SeedConfirmations {

    private static final Pattern CONFIRM_LINK = Pattern.compile("https?://\\S+/confirm\\?token=[A-Za-z0-9_.-]+");
    private static final Pattern FORM_ACTION = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"");
    private static final String CONFIRM_BUTTON = "name=\"decision\" value=\"confirm\"";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final Credentials operator;

    /**
     * @param operator an OPERATOR account's credentials, for the operator call (notification-service's
     *                 /api/** needs that role); the confirmation links need none
     */
    public SeedConfirmations(Credentials operator) {
        this.operator = Objects.requireNonNull(operator, "operator");
    }

    /** Every commenter's address, except the post author's (confirmed as the author): those the replay asks to confirm. */
    public static Set<String> addressesToConfirm(SeedThread thread) {
        String postAuthor = normalize(thread.post().author().email());
        Set<String> addresses = new LinkedHashSet<>();
        thread.comments().stream().filter(SeedThread.Comment::notifyMe).map(c -> normalize(c.author().email()))
                .filter(address -> !address.equals(postAuthor)).forEach(addresses::add);
        return addresses;
    }

    /**
     * For each address, waits for its confirmation email in {@code mail}, opens the link and
     * confirms on the page, as its owner would.
     *
     * @throws ReplayException if an email does not come within {@code timeout} or a page is not as expected
     */
    public void confirmByMail(Supplier<List<CaughtMail>> mail, Set<String> addresses, Duration timeout) {
        for (String address : addresses) {
            URI link = confirmationLink(mail, address, timeout);
            HttpResponse<String> page = send(HttpRequest.newBuilder(link).header("Accept", "text/html").GET());
            if (page.statusCode() != 200 || !page.body().contains(CONFIRM_BUTTON)) {
                throw new ReplayException("the confirmation page of " + mask(address) + " shows no confirm button ("
                        + page.statusCode() + ")");
            }
            Matcher action = FORM_ACTION.matcher(page.body());
            if (!action.find()) {
                throw new ReplayException("the confirmation page of " + mask(address) + " has no form");
            }
            URI target = link.resolve(action.group(1).replace("&amp;", "&"));
            HttpResponse<String> done = send(HttpRequest.newBuilder(target)
                    .header("Accept", "text/html")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("decision=confirm")));
            if (done.statusCode() != 200 || !done.body().contains("confirmed")) {
                throw new ReplayException("confirming " + mask(address) + " answered " + done.statusCode());
            }
        }
    }

    /** The operator's way: one call per address, the address in the body (never in a URL). */
    public void confirmByOperator(URI notificationService, Set<String> addresses) {
        URI uri = URI.create(withoutTrailingSlash(notificationService.toString()) + "/api/addresses/confirmations");
        for (String address : addresses) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header("Authorization", operator.authorization())
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("email", address))));
            HttpResponse<String> response = send(request);
            if (response.statusCode() != 200) {
                throw new ReplayException("POST " + uri + " for " + mask(address) + " -> " + response.statusCode() + ": "
                        + response.body());
            }
        }
    }

    private static URI confirmationLink(Supplier<List<CaughtMail>> mail, String address, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<URI> link = mail.get().stream()
                    .filter(m -> m.messageId() != null && m.messageId().startsWith("<confirm-"))
                    .filter(m -> m.to() != null && m.to().toLowerCase(Locale.ROOT).contains(address))
                    .map(m -> m.text() == null ? null : CONFIRM_LINK.matcher(m.text()))
                    .filter(m -> m != null && m.find())
                    .map(m -> URI.create(m.group()))
                    .findFirst();
            if (link.isPresent()) {
                return link.get();
            }
            if (System.nanoTime() > deadline) {
                throw new ReplayException("no confirmation email for " + mask(address) + " within " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReplayException("interrupted while waiting for a confirmation email", e);
            }
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        try {
            return http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ReplayException(built.method() + " " + built.uri().getPath() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayException("interrupted during " + built.method() + " " + built.uri().getPath(), e);
        }
    }

    private static String normalize(String address) {
        return address.strip().toLowerCase(Locale.ROOT);
    }

    /** The console shows no full address either. */
    static String mask(String address) {
        int at = address.lastIndexOf('@');
        return at <= 0 ? "***" : address.charAt(0) + "***" + address.substring(at);
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
