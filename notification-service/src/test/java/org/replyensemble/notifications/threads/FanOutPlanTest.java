package org.replyensemble.notifications.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

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
            String explained = String.join("\n", jdbc.sql("explain " + FanOut.participantsQuery(true, false))
                    .param("postId", post)
                    .param("after", "")
                    .param("position", 100_000)
                    .param("at", OffsetDateTime.now(ZoneOffset.UTC))
                    .param("author", "")
                    .param("parentAuthor", "")
                    .param("pageSize", 1_000)
                    .param("only", "")
                    .query(String.class)
                    .list());
            status.setRollbackOnly();
            return explained;
        });

        assertThat(plan)
                .contains("on delivery s", "on address a", "on mailbox m", "on thread_preference tp")
                .doesNotContain("Seq Scan on delivery", "Seq Scan on address", "Seq Scan on mailbox",
                        "Seq Scan on thread_preference");
    }
}
