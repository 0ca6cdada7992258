package org.replyensemble.notifications.email;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.context.ApplicationContext;
import org.springframework.context.support.StaticApplicationContext;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.spring6.expression.ThymeleafEvaluationContext;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Renders the text and HTML parts of the reply and confirmation emails from classpath:mail/. Its own engine, not a
 * bean: a second template engine bean would switch off Boot's one for the web pages.
 * User text goes through th:text (escaped) in the HTML part; the text part is plain text.
 */
public class EmailTemplates {

    /*
     * Each rendering gets a ThymeleafEvaluationContext of its own, as Spring MVC's ThymeleafView gives
     * each page. Without one, the engine wraps a new StandardEvaluationContext per rendering, whose
     * new property accessor has an empty cache: every ${email.x} was resolved by reflection again
     * (methods listed, sorted and copied), 18.8% of notification-service's CPU samples in a JFR
     * profile of the 100,000-recipient fan-out (docs/benchmark.md). ThymeleafEvaluationContext uses
     * one static accessor, so a property is looked up once per JVM. Its application context is an empty one:
     * email templates have no business reaching beans (@bean in an expression finds none).
     */
    private static final ApplicationContext NO_BEANS = noBeans();

    private final SpringTemplateEngine engine = new SpringTemplateEngine();

    public EmailTemplates() {
        engine.addTemplateResolver(resolver(TemplateMode.TEXT, "*.txt", 1));
        engine.addTemplateResolver(resolver(TemplateMode.HTML, "*.html", 2));
    }

    /**
     * @param comment  the comment's own page address ({@code /posts/{slug}/comments/{id}}): the server
     *                 finds the page that shows it, which a {@code #comment-} fragment alone cannot tell it
     * @param settings the notification settings page for this thread
     */
    public record Links(String comment, String settings, String unsubscribeThread, String unsubscribeEverything) {
    }

    public record ConfirmationLinks(String confirm) {
    }

    /**
     * @param comments    each listed comment's page address, in the summary's order
     * @param firstUpdate the page address of the first comment the summary carries (listed or not)
     */
    public record SummaryLinks(List<String> comments, String firstUpdate, String settings, String unsubscribeThread,
            String unsubscribeEverything) {
    }

    /** One line of a summary: a folded comment with its quoted lines and its link. */
    public record SummaryItem(String authorName, List<String> quotedLines, String link) {
    }

    public String text(SummaryEmail email, SummaryLinks links) {
        return engine.process("summary.txt", context(email, links));
    }

    public String html(SummaryEmail email, SummaryLinks links) {
        return engine.process("summary.html", context(email, links));
    }

    private static Context context(SummaryEmail email, SummaryLinks links) {
        List<SummaryItem> items = new java.util.ArrayList<>();
        for (int i = 0; i < email.updates().size(); i++) {
            SummaryEmail.Update update = email.updates().get(i);
            items.add(new SummaryItem(update.authorName(), quoted(update.excerpt()), links.comments().get(i)));
        }
        Context context = newContext();
        context.setVariable("email", email);
        context.setVariable("links", links);
        context.setVariable("items", items);
        return context;
    }

    public String text(ConfirmationEmail email, ConfirmationLinks links, long validityDays) {
        return engine.process("confirmation.txt", context(email, links, validityDays));
    }

    public String html(ConfirmationEmail email, ConfirmationLinks links, long validityDays) {
        return engine.process("confirmation.html", context(email, links, validityDays));
    }

    public String text(ReplyEmail email, Links links) {
        return engine.process("reply.txt", context(email, links));
    }

    public String html(ReplyEmail email, Links links) {
        return engine.process("reply.html", context(email, links));
    }

    private static Context context(ReplyEmail email, Links links) {
        Context context = newContext();
        context.setVariable("email", email);
        context.setVariable("links", links);
        context.setVariable("quotedLines", quoted(email.excerpt()));
        return context;
    }

    private static Context context(ConfirmationEmail email, ConfirmationLinks links, long validityDays) {
        Context context = newContext();
        context.setVariable("email", email);
        context.setVariable("links", links);
        context.setVariable("validityDays", validityDays);
        return context;
    }

    private static Context newContext() {
        Context context = new Context(Locale.ENGLISH);
        context.setVariable(ThymeleafEvaluationContext.THYMELEAF_EVALUATION_CONTEXT_CONTEXT_VARIABLE_NAME,
                new ThymeleafEvaluationContext(NO_BEANS, null));
        return context;
    }

    private static ApplicationContext noBeans() {
        StaticApplicationContext empty = new StaticApplicationContext();
        empty.refresh();
        return empty;
    }

    private static List<String> quoted(String excerpt) {
        return Arrays.stream(excerpt == null ? new String[0] : excerpt.strip().split("\\R")).toList();
    }

    private static ClassLoaderTemplateResolver resolver(TemplateMode mode, String pattern, int order) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("mail/");
        resolver.setTemplateMode(mode);
        resolver.setResolvablePatterns(Set.of(pattern));
        resolver.setCharacterEncoding("UTF-8");
        resolver.setOrder(order);
        resolver.setCacheable(true);
        return resolver;
    }
}
