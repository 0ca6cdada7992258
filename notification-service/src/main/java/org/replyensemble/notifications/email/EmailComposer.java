package org.replyensemble.notifications.email;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;

import jakarta.activation.FileTypeMap;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.replyensemble.notifications.confirmations.ConfirmationTokens;
import org.replyensemble.notifications.settings.SettingsTokens;
import org.replyensemble.notifications.unsubscribe.UnsubscribeScope;
import org.replyensemble.notifications.unsubscribe.UnsubscribeTokens;
import org.springframework.mail.javamail.ConfigurableMimeFileTypeMap;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;
import org.springframework.web.util.UriUtils;

/** Turns a {@link ReplyEmail}, a {@link SummaryEmail} or a {@link ConfirmationEmail} into the MIME message, headers included. */
@Component
public class EmailComposer {

    /*
     * Two per-message costs that a JFR profile of the sender showed (bench/, issue #4), both lookups
     * through Spring Boot's nested-jar class loader, together about two thirds of the sender's CPU:
     * - MimeMessageHelper builds a new MIME type map (mime.types parsed, activation providers looked
     *   up with a ServiceLoader) for every message that is not a JavaMailSenderImpl-made one, and ours
     *   is a StableIdMimeMessage: one map, built once, serves every message;
     * - jakarta.mail-api 2.1 looks up its StreamProvider with a ServiceLoader in every MimeBodyPart
     *   and MimeMultipart constructor, unless the system property names the implementation.
     * Benchmark: a 20,000-email backlog 1,266 -> 3,521 emails/s; 10,000-recipient fan-out 8.7 -> 3.7 s.
     */
    private static final FileTypeMap FILE_TYPES = defaultFileTypes();
    private static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";
    private static final String ANGUS_STREAM_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

    static {
        if (System.getProperty(STREAM_PROVIDER) == null
                && ClassUtils.isPresent(ANGUS_STREAM_PROVIDER, EmailComposer.class.getClassLoader())) {
            System.setProperty(STREAM_PROVIDER, ANGUS_STREAM_PROVIDER);
        }
    }

    private final EmailProperties properties;
    private final UnsubscribeTokens unsubscribeTokens;
    private final ConfirmationTokens confirmationTokens;
    private final SettingsTokens settingsTokens;
    private final EmailTemplates templates = new EmailTemplates();

    public EmailComposer(EmailProperties properties, UnsubscribeTokens unsubscribeTokens, ConfirmationTokens confirmationTokens,
            SettingsTokens settingsTokens) {
        this.properties = properties;
        this.unsubscribeTokens = unsubscribeTokens;
        this.confirmationTokens = confirmationTokens;
        this.settingsTokens = settingsTokens;
    }

    public MimeMessage compose(ReplyEmail email, Session session) throws MessagingException {
        String threadUnsubscribe = unsubscribeUrl(UnsubscribeScope.thread(email.recipientEmail(), email.postId()));
        // The comment's id travels in the path (a #fragment never reaches the server): comment-service
        // answers 303 to the page of a long thread that shows it, at its anchor.
        EmailTemplates.Links links = new EmailTemplates.Links(
                properties.publicBaseUrl() + "/posts/" + UriUtils.encodePathSegment(email.postSlug(), StandardCharsets.UTF_8)
                        + "/comments/" + email.commentId(),
                properties.unsubscribeBaseUrl() + "/settings?token=" + settingsTokens.seal(email.recipientEmail(), email.postId()),
                threadUnsubscribe,
                unsubscribeUrl(UnsubscribeScope.everything(email.recipientEmail())));
        return inThread(session, MessageIds.forReply(email.commentId(), email.recipientEmail(), properties.mailDomain()),
                email.postId(), email.recipientEmail(), email.recipientName(), email.subject(),
                templates.text(email, links), templates.html(email, links), threadUnsubscribe);
    }

    /**
     * A flood-control summary: the same headers and links as a reply email (it is part of the
     * thread's conversation, and its unsubscribe button stops this thread), a link per folded comment.
     */
    public MimeMessage compose(SummaryEmail email, Session session) throws MessagingException {
        String threadUnsubscribe = unsubscribeUrl(UnsubscribeScope.thread(email.recipientEmail(), email.postId()));
        String post = properties.publicBaseUrl() + "/posts/" + UriUtils.encodePathSegment(email.postSlug(), StandardCharsets.UTF_8);
        EmailTemplates.SummaryLinks links = new EmailTemplates.SummaryLinks(
                email.updates().stream().map(update -> post + "/comments/" + update.commentId()).toList(),
                email.firstUpdateId() == null ? post : post + "/comments/" + email.firstUpdateId(),
                properties.unsubscribeBaseUrl() + "/settings?token=" + settingsTokens.seal(email.recipientEmail(), email.postId()),
                threadUnsubscribe,
                unsubscribeUrl(UnsubscribeScope.everything(email.recipientEmail())));
        return inThread(session,
                MessageIds.forSummary(email.postId(), email.windowOpenedAt(), email.recipientEmail(), properties.mailDomain()),
                email.postId(), email.recipientEmail(), email.recipientName(), email.subject(),
                templates.text(email, links), templates.html(email, links), threadUnsubscribe);
    }

    /**
     * An email of a thread's conversation (a reply email or a summary): a mail client files it with
     * the thread's other emails, and its unsubscribe button stops this thread only.
     */
    private MimeMessage inThread(Session session, String messageId, java.util.UUID postId, String recipientEmail,
            String recipientName, String subject, String text, String html, String threadUnsubscribe) throws MessagingException {
        MimeMessage message = new StableIdMimeMessage(session, messageId);
        MimeMessageHelper helper = helper(message);
        helper.setFrom(properties.mailFrom());
        helper.setTo(recipient(recipientEmail, recipientName));
        helper.setSubject(subject);
        helper.setText(text, html);
        TransferEncodings.name(helper.getRootMimeMultipart());
        String thread = MessageIds.forThread(postId, properties.mailDomain());
        message.setHeader("In-Reply-To", thread);
        message.setHeader("References", thread);
        // RFC 8058: a mail client's unsubscribe button POSTs to this URL.
        message.setHeader("List-Unsubscribe", "<" + threadUnsubscribe + ">");
        message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        autoSubmitted(message);
        return message;
    }

    /**
     * No List-Unsubscribe: the address has subscribed to nothing yet; the page the link opens offers
     * "this was not me, never email me" instead. Addressed without a display name: the name is a
     * stranger's input until the owner confirms.
     */
    public MimeMessage compose(ConfirmationEmail email, Session session) throws MessagingException {
        EmailTemplates.ConfirmationLinks links = new EmailTemplates.ConfirmationLinks(properties.unsubscribeBaseUrl()
                + "/confirm?token=" + confirmationTokens.seal(email.recipientEmail(), email.greetingName(), email.postId()));
        MimeMessage message = new StableIdMimeMessage(session,
                MessageIds.forConfirmation(email.commentId(), email.recipientEmail(), properties.mailDomain()));
        MimeMessageHelper helper = helper(message);
        helper.setFrom(properties.mailFrom());
        helper.setTo(new InternetAddress(email.recipientEmail()));
        helper.setSubject(email.subject());
        long days = Math.max(1, confirmationTokens.validity().toDays());
        helper.setText(templates.text(email, links, days), templates.html(email, links, days));
        TransferEncodings.name(helper.getRootMimeMultipart());
        autoSubmitted(message);
        return message;
    }

    /** RFC 3834: machine-made mail; auto-responders (vacation replies) must not answer it. */
    private static void autoSubmitted(MimeMessage message) throws MessagingException {
        message.setHeader("Auto-Submitted", "auto-generated");
    }

    private static MimeMessageHelper helper(MimeMessage message) throws MessagingException {
        return new MimeMessageHelper(message, true, StandardCharsets.UTF_8.name()) {
            @Override
            protected FileTypeMap getDefaultFileTypeMap(MimeMessage mimeMessage) {
                return FILE_TYPES;
            }
        };
    }

    private static FileTypeMap defaultFileTypes() {
        ConfigurableMimeFileTypeMap map = new ConfigurableMimeFileTypeMap();
        map.afterPropertiesSet();
        return map;
    }

    private String unsubscribeUrl(UnsubscribeScope scope) {
        return properties.unsubscribeBaseUrl() + "/unsubscribe?token=" + unsubscribeTokens.sign(scope);
    }

    private static InternetAddress recipient(String address, String name) throws MessagingException {
        try {
            return new InternetAddress(address, name, StandardCharsets.UTF_8.name());
        } catch (UnsupportedEncodingException e) {
            throw new MessagingException("UTF-8 is always supported", e);
        }
    }
}
