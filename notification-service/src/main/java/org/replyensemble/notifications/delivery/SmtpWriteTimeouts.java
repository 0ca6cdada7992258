package org.replyensemble.notifications.delivery;

import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/**
 * One timer thread for the write timeout of every SMTP connection. Angus Mail implements
 * {@code mail.smtp.writetimeout} with a task scheduled for each write, on a
 * {@link ScheduledThreadPoolExecutor} it builds for each connection unless the session names one
 * under {@code mail.smtp.executor.writetimeout}: a platform thread started and stopped per
 * connection. A JFR recording of the benchmark at 100 comments/s showed a new one every few
 * hundred milliseconds (issue 9). That property takes an object, which a YAML key cannot give, so
 * it is put into Boot's mail sender here, before its session is made.
 *
 * <p>The tasks only close a socket whose write hangs; normally each is cancelled when its write
 * returns, and removed at once (remove-on-cancel) rather than kept until its deadline.
 */
@Component
class SmtpWriteTimeouts implements BeanPostProcessor, DisposableBean {

    private final ScheduledThreadPoolExecutor timer;

    SmtpWriteTimeouts() {
        timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "smtp-write-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof JavaMailSenderImpl smtp) {
            String protocol = smtp.getProtocol() == null ? "smtp" : smtp.getProtocol();
            Properties properties = smtp.getJavaMailProperties();
            if (properties.getProperty("mail." + protocol + ".writetimeout") != null) {
                properties.putIfAbsent("mail." + protocol + ".executor.writetimeout", timer);
            }
        }
        return bean;
    }

    /** The executor every connection's write timeout runs on (for tests). */
    ScheduledExecutorService timer() {
        return timer;
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
