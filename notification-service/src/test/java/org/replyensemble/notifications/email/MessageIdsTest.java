package org.replyensemble.notifications.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import java.util.UUID;

import jakarta.mail.Session;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

    private static final UUID COMMENT = UUID.fromString("11111111-2222-3333-4444-555555555555");

    @Test
    void derivesTheIdFromCommentAndNormalizedRecipient() {
        // sha256("paul@example.org") starts with these 16 hex digits
        String expected = "<comment-11111111-2222-3333-4444-555555555555." + sha256Prefix("paul@example.org") + "@mail.test>";

        assertThat(MessageIds.forReply(COMMENT, "paul@example.org", "mail.test")).isEqualTo(expected);
        assertThat(MessageIds.forReply(COMMENT, " Paul@Example.org ", "mail.test")).isEqualTo(expected);
        assertThat(MessageIds.forReply(COMMENT, "ann@example.org", "mail.test")).isNotEqualTo(expected);
        assertThat(MessageIds.addressHash("paul@example.org")).hasSize(16).matches("[0-9a-f]{16}");
    }

    @Test
    void threadsAnswerThePostsId() {
        assertThat(MessageIds.forThread(COMMENT, "mail.test")).isEqualTo("<post-11111111-2222-3333-4444-555555555555@mail.test>");
    }

    @Test
    void saveChangesKeepsTheDerivedId() throws Exception {
        StableIdMimeMessage message = new StableIdMimeMessage(Session.getInstance(new Properties()), "<comment-x.y@mail.test>");
        message.setText("hello");
        message.saveChanges();

        assertThat(message.getMessageID()).isEqualTo("<comment-x.y@mail.test>");
    }

    private static String sha256Prefix(String text) throws RuntimeException {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                hex.append(String.format("%02x", digest[i]));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
