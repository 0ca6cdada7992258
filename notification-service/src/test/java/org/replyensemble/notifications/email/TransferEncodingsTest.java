package org.replyensemble.notifications.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import jakarta.activation.DataHandler;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mail.javamail.MimeMessageHelper;

class TransferEncodingsTest {

    /** Each string's encoding is the one JavaMail would have chosen itself. */
    @ParameterizedTest
    @ValueSource(strings = {
            "Hello Ann,\n\nPaul wrote:\n> First line\n",
            "",
            "Grüße aus Köln, und ein langer Satz ganz in ASCII dazu, damit es meist ASCII bleibt.",
            "Привет, как дела? Всё хорошо.",
            "日本語のコメント",
            "emoji 🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉",
            "ab🎉",
            "a control \u0007 character",
            "a DEL \u007f character",
            "tab\tand\r\nCRLF",
            "é",
            "ée",
            "éee"})
    void choosesWhatJavaMailWould(String text) throws Exception {
        assertThat(TransferEncodings.of(text)).isEqualTo(MimeUtility.getEncoding(new DataHandler(text, "text/plain; charset=UTF-8")));
    }

    @ParameterizedTest
    @ValueSource(ints = {998, 999, 2000})
    void countsLineLengthsAsJavaMailDoes(int length) throws Exception {
        for (String text : new String[] {"x".repeat(length), "é".repeat(length / 2) + "x".repeat(length), "short\n" + "y".repeat(length)}) {
            assertThat(TransferEncodings.of(text)).as("%d characters", text.length())
                    .isEqualTo(MimeUtility.getEncoding(new DataHandler(text, "text/plain; charset=UTF-8")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain ASCII", "Grüße, Ann", "Привет"})
    void aComposedEmailReadsBackAsWritten(String text) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
        helper.setText(text, "<p>" + text + "</p>");
        TransferEncodings.name(helper.getRootMimeMultipart());
        // Named before saveChanges, so JavaMail does not work it out again.
        assertThat(leafEncodings(message.getContent())).containsExactly(TransferEncodings.of(text), TransferEncodings.of("<p>" + text + "</p>"));
        message.saveChanges();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        message.writeTo(raw);

        MimeMessage read = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw.toByteArray()));
        assertThat(raw.toString(StandardCharsets.US_ASCII)).contains("Content-Transfer-Encoding: " + TransferEncodings.of(text));
        assertThat(textOf(read.getContent())).contains(text, "<p>" + text + "</p>");
    }

    private static List<String> leafEncodings(Object content) throws Exception {
        List<String> encodings = new ArrayList<>();
        Multipart multipart = (Multipart) content;
        for (int i = 0; i < multipart.getCount(); i++) {
            MimeBodyPart part = (MimeBodyPart) multipart.getBodyPart(i);
            if (part.getContent() instanceof Multipart nested) {
                encodings.addAll(leafEncodings(nested));
            } else {
                encodings.add(part.getEncoding());
            }
        }
        return encodings;
    }

    private static String textOf(Object content) throws Exception {
        if (content instanceof Multipart multipart) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                all.append(textOf(multipart.getBodyPart(i).getContent())).append('\n');
            }
            return all.toString();
        }
        return String.valueOf(content);
    }
}
