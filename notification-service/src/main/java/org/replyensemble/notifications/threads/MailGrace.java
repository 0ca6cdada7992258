package org.replyensemble.notifications.threads;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long after a comment was written its reply emails wait before they are sent, so that its
 * author's quick edit (the mail carries the new text) or deletion (the mail is cancelled) gets
 * there first. Counted from the comment's time, not from the fan-out: a thread that was held up
 * sends at once. 0 (the default) keeps today's latency; the README recommends values for production.
 *
 * @param delay       for thread updates and the post's author
 * @param directReply for the author of the comment answered, who waits for it most: may be shorter
 */
@ConfigurationProperties("notifications.grace")
public record MailGrace(@DefaultValue("0s") Duration delay, @DefaultValue("0s") Duration directReply) {

    Duration forReason(Reason reason) {
        return reason == Reason.DIRECT_REPLY ? directReply : delay;
    }
}
