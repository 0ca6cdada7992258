package org.replyensemble.notifications.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.junit.jupiter.api.Test;
import org.springframework.mail.MailSendException;

class SmtpFailuresTest {

    private static SMTPAddressFailedException rcpt(int code) throws Exception {
        return new SMTPAddressFailedException(new InternetAddress("ann@example.org"), "RCPT TO:<ann@example.org>", code,
                code + " 5.1.1 <ann@example.org>: Recipient address rejected");
    }

    /** As Angus Mail throws a refused recipient: "Invalid Addresses" with the RCPT reply chained to it. */
    private static SendFailedException invalidAddresses(int code) throws Exception {
        return new SendFailedException("Invalid Addresses", rcpt(code));
    }

    @Test
    void aPermanentRejectionOfTheRecipientIsAHardBounce() throws Exception {
        assertThat(SmtpFailures.classify(invalidAddresses(550))).isEqualTo(SmtpFailures.Kind.PERMANENT_RECIPIENT);
        assertThat(SmtpFailures.classify(new MailSendException("failed", invalidAddresses(553))))
                .isEqualTo(SmtpFailures.Kind.PERMANENT_RECIPIENT);
        SMTPSendFailedException wrapped = new SMTPSendFailedException("RCPT", 550, "550 no", rcpt(550), null, null, null);
        assertThat(SmtpFailures.classify(wrapped)).isEqualTo(SmtpFailures.Kind.PERMANENT_RECIPIENT);
    }

    @Test
    void aPermanentRejectionOfTheMessageFailsItWithoutBlamingTheAddress() {
        assertThat(SmtpFailures.classify(new SMTPSendFailedException("DATA", 554, "554 5.7.1 rejected as spam", null, null, null, null)))
                .isEqualTo(SmtpFailures.Kind.PERMANENT_MESSAGE);
    }

    @Test
    void transientRejectionsAndConnectionErrorsAreRetried() throws Exception {
        assertThat(SmtpFailures.classify(invalidAddresses(450))).isEqualTo(SmtpFailures.Kind.TRANSIENT);
        assertThat(SmtpFailures.classify(new SMTPSendFailedException("DATA", 451, "451 try later", null, null, null, null)))
                .isEqualTo(SmtpFailures.Kind.TRANSIENT);
        assertThat(SmtpFailures.classify(new MessagingException("connect failed", new ConnectException("refused"))))
                .isEqualTo(SmtpFailures.Kind.TRANSIENT);
        // Our own sender address refused: a configuration problem, not the recipient's; keep retrying.
        assertThat(SmtpFailures.classify(new SMTPSenderFailedException(new InternetAddress("n@replyensemble.local"), "MAIL FROM",
                550, "550 sender rejected"))).isEqualTo(SmtpFailures.Kind.TRANSIENT);
    }
}
