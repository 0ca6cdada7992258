package org.replyensemble.notifications.email;

import java.io.UnsupportedEncodingException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.replyensemble.notifications.unsubscribe.UnsubscribeScope;
import org.replyensemble.notifications.unsubscribe.UnsubscribeTokens;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/** Turns a {@link ReplyEmail} into the MIME message, headers included. */
@Component
public class EmailComposer {

    private final EmailProperties properties;
    private final UnsubscribeTokens tokens;
    private final EmailTemplates templates = new EmailTemplates();

    public EmailComposer(EmailProperties properties, UnsubscribeTokens tokens) {
        this.properties = properties;
        this.tokens = tokens;
    }

    public MimeMessage compose(ReplyEmail email, Session session) throws MessagingException {
        String threadUnsubscribe = unsubscribeUrl(UnsubscribeScope.thread(email.recipientEmail(), email.postId()));
        EmailTemplates.Links links = new EmailTemplates.Links(
                properties.publicBaseUrl() + "/posts/" + URLEncoder.encode(email.postSlug(), StandardCharsets.UTF_8)
                        + "#comment-" + email.commentId(),
                threadUnsubscribe,
                unsubscribeUrl(UnsubscribeScope.everything(email.recipientEmail())));

        MimeMessage message = new StableIdMimeMessage(session,
                MessageIds.forReply(email.commentId(), email.recipientEmail(), properties.mailDomain()));
        MimeMessageHelper helper = new MimeMessageHelper(message, true, StandardCharsets.UTF_8.name());
        helper.setFrom(properties.mailFrom());
        helper.setTo(recipient(email));
        helper.setSubject(email.subject());
        helper.setText(templates.text(email, links), templates.html(email, links));

        String thread = MessageIds.forThread(email.postId(), properties.mailDomain());
        message.setHeader("In-Reply-To", thread);
        message.setHeader("References", thread);
        // RFC 8058: a mail client's unsubscribe button POSTs to this URL; it stops this thread only.
        message.setHeader("List-Unsubscribe", "<" + threadUnsubscribe + ">");
        message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        return message;
    }

    private String unsubscribeUrl(UnsubscribeScope scope) {
        return properties.unsubscribeBaseUrl() + "/unsubscribe?token=" + tokens.sign(scope);
    }

    private static InternetAddress recipient(ReplyEmail email) throws MessagingException {
        try {
            return new InternetAddress(email.recipientEmail(), email.recipientName(), StandardCharsets.UTF_8.name());
        } catch (UnsupportedEncodingException e) {
            throw new MessagingException("UTF-8 is always supported", e);
        }
    }
}
