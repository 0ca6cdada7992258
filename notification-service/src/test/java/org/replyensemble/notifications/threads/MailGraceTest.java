package org.replyensemble.notifications.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class MailGraceTest {

    @Test
    void aDirectReplyMayWaitLessThanAThreadUpdate() {
        MailGrace grace = new MailGrace(Duration.ofMinutes(5), Duration.ofMinutes(1));
        assertThat(grace.forReason(Reason.DIRECT_REPLY)).isEqualTo(Duration.ofMinutes(1));
        assertThat(grace.forReason(Reason.PARTICIPANT)).isEqualTo(Duration.ofMinutes(5));
        assertThat(grace.forReason(Reason.POST_AUTHOR)).isEqualTo(Duration.ofMinutes(5));
    }
}
