package org.replyensemble.notifications.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.replyensemble.notifications.FlowTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every comment of a hot thread reads its participants ({@code FanOut.participants}), a page at a
 * time; what a page costs must not grow with the delivery log, which holds every delivery of the
 * retention period, nor with the addresses and preferences of every reader of the site. Explained
 * on copies of the tables as a second hot thread finds them: the summaries of an earlier one in
 * {@code delivery}, thousands of addresses and preferences, and this thread's participants with
 * their windows open. The copies are temporary tables of this transaction, so no other test's tables or
 * statistics change.
 */
class FanOutPlanTest extends FlowTest {

    @Autowired
    TransactionTemplate transactions;

    @Test
    void aPageOfParticipantsLooksUpTheirAddressesPreferencesAndSummariesByKeyNotByReadingWholeTables() {
        UUID post = UUID.randomUUID();
        String plan = transactions.execute(status -> {
            status.setRollbackOnly();
            hotThreadTables(post);
            return explain("explain", post, "", "");
        });

        assertThat(plan)
                .contains("on delivery s", "on address a", "on mailbox m", "on thread_preference tp")
                .doesNotContain("Seq Scan on delivery", "Seq Scan on address", "Seq Scan on mailbox",
                        "Seq Scan on thread_preference");
    }

    /**
     * The steady state of a hot thread: every participant quiet, so a comment reads its author and the
     * one it answers, and nobody else. The statistics are those taken before the participants turned
     * quiet, as at the start of every hot thread's load (autovacuum analyses later, if at all); the
     * plan is checked as made for the call's values and as the generic plan a prepared statement
     * switches to.
     */
    @Test
    void aCommentOnAThreadWhoseParticipantsAreAllQuietReadsItsAuthorAndTheOneItAnswersNotEveryParticipant() {
        UUID post = UUID.randomUUID();
        List<String> plans = transactions.execute(status -> {
            status.setRollbackOnly();
            hotThreadTables(post);
            jdbc.sql("update thread_participant set quiet_until = now() + interval '1 hour'").update();
            String custom = explain("explain (analyze)", post, "reader-7@example.org", "reader-42@example.org");
            return List.of(custom, explainGeneric(post, "reader-7@example.org", "reader-42@example.org"));
        });

        String custom = plans.get(0);
        // The page: the two of them (PostgreSQL 18 prints the rows with two decimals).
        assertThat(custom.lines().findFirst().orElseThrow()).as(custom).containsPattern(" rows=2(\\.00)? loops=1\\)");
        String generic = plans.get(1);
        assertThat(generic.lines().findFirst().orElseThrow()).as(generic).containsPattern(" rows=2(\\.00)? loops=1\\)");
        for (String plan : plans) {
            // Those with no quiet time are read along the partial index, whose order no other index
            // serves (V13): in the database's order, the generic plan walked the primary key and
            // dropped every quiet participant of the thread in a filter.
            Matcher removed = Pattern.compile("Rows Removed by Filter: (\\d+)").matcher(plan);
            while (removed.find()) {
                assertThat(Integer.parseInt(removed.group(1))).as(plan).isLessThan(100);
            }
        }
        // Those whose quiet time has passed are found by that time, not by walking the thread in address order.
        assertThat(generic).as(generic).containsPattern("Index Cond: \\(\\(post_id = \\$\\d+\\) AND \\(quiet_until <= \\$\\d+\\)\\)");
    }

    /**
     * Copies of the tables as a second hot thread finds them, temporary tables of this transaction: a
     * thread of 5,000 participants with their windows open, their addresses, preferences on other
     * threads, and an earlier hot thread's delivery log; analysed.
     */
    private void hotThreadTables(UUID post) {
        for (String table : new String[] {"delivery", "thread_participant", "address", "mailbox", "thread_preference"}) {
            jdbc.sql("create temp table " + table + " (like " + table + " including all) on commit drop").update();
        }
        jdbc.sql("""
                insert into mailbox (mailbox) select 'reader-' || n || '@example.org' from generate_series(1, 5000) n""")
                .update();
        jdbc.sql("""
                insert into address (email, mailbox, greeting_name, confirmed_at, confirmed_by)
                select 'reader-' || n || '@example.org', 'reader-' || n || '@example.org', 'Reader', now(), 'OPERATOR'
                  from generate_series(1, 5000) n""").update();
        jdbc.sql("""
                insert into thread_participant (post_id, email, first_position, latest_position, subscribed,
                                                window_opened_at, window_updates)
                select :post, 'reader-' || n || '@example.org', n, n, true, now() - interval '1 minute', 4
                  from generate_series(1, 5000) n""").param("post", post).update();
        // Readers who chose a mode on other threads.
        jdbc.sql("""
                insert into thread_preference (email, post_id, mode)
                select 'reader-' || n || '@example.org', gen_random_uuid(), 'DIRECT_REPLIES_ONLY'
                  from generate_series(1, 5000) n""").update();
        // An earlier hot thread's log: 20,000 summaries among 40,000 rows.
        jdbc.sql("""
                insert into delivery (comment_id, post_id, recipient_email, recipient_name, reason, status,
                                      summary_window, summary_from_position)
                select case when n % 2 = 0 then null else gen_random_uuid() end, gen_random_uuid(),
                       'reader-' || n || '@example.org', 'Reader',
                       case when n % 2 = 0 then 'SUMMARY' else 'PARTICIPANT' end, 'SENT',
                       case when n % 2 = 0 then now() - interval '1 day' end, case when n % 2 = 0 then 1 end
                  from generate_series(1, 40000) n""").update();
        for (String table : new String[] {"delivery", "thread_participant", "address", "mailbox", "thread_preference"}) {
            jdbc.sql("analyze " + table).update();
        }
    }

    /**
     * The same page as the generic plan of a prepared statement (the plan the driver's cached statement
     * runs once PostgreSQL stops planning it for each call's values), made with PREPARE and EXECUTE.
     */
    private String explainGeneric(UUID post, String author, String parentAuthor) {
        Map<String, String> types = Map.of("postId", "uuid", "after", "text", "position", "int", "at", "timestamptz",
                "author", "text", "parentAuthor", "text", "pageSize", "int", "only", "text");
        Map<String, String> values = Map.of("postId", "'" + post + "'", "after", "''", "position", "100000",
                "at", "now()", "author", "'" + author + "'", "parentAuthor", "'" + parentAuthor + "'", "pageSize", "1000",
                "only", "''");
        List<String> names = new ArrayList<>();
        Matcher named = Pattern.compile("(?<!:):(\\w+)").matcher(FanOut.participantsQuery(true, false));
        StringBuilder numbered = new StringBuilder();
        while (named.find()) {
            if (!names.contains(named.group(1))) {
                names.add(named.group(1));
            }
            named.appendReplacement(numbered, "\\$" + (names.indexOf(named.group(1)) + 1));
        }
        named.appendTail(numbered);
        jdbc.sql("set local plan_cache_mode = force_generic_plan").update();
        jdbc.sql("prepare fan_out_page (" + String.join(", ", names.stream().map(types::get).toList()) + ") as "
                + numbered).update();
        try {
            return String.join("\n", jdbc.sql("explain (analyze) execute fan_out_page ("
                            + String.join(", ", names.stream().map(values::get).toList()) + ")")
                    .query(String.class)
                    .list());
        } finally {
            jdbc.sql("deallocate fan_out_page").update();
        }
    }

    /** The first page of the fan-out of a comment by {@code author} answering {@code parentAuthor}, explained. */
    private String explain(String explain, UUID post, String author, String parentAuthor) {
        return String.join("\n", jdbc.sql(explain + " " + FanOut.participantsQuery(true, false))
                .param("postId", post)
                .param("after", "")
                .param("position", 100_000)
                .param("at", OffsetDateTime.now(ZoneOffset.UTC))
                .param("author", author)
                .param("parentAuthor", parentAuthor)
                .param("pageSize", 1_000)
                .param("only", "")
                .query(String.class)
                .list());
    }
}
