package org.replyensemble.notifications.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.replyensemble.notifications.FlowTest;
import org.replyensemble.notifications.operations.OldestPendingDelivery;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The delivery table keeps only the indexes something reads (V11): every claim, SENT mark and
 * insert writes an entry into each index its new row version qualifies for. The operators' gauges
 * and the senders' claims still find their rows along an index, never by reading the whole table,
 * which holds every delivery of the retention period.
 */
class DeliveryIndexesTest extends FlowTest {

    @Autowired
    TransactionTemplate transactions;

    @Test
    void aSentDeliveryHasEntriesOnlyInTheIndexesThatMustFindIt() {
        long id = jdbc.sql("""
                insert into delivery (comment_id, post_id, recipient_email, recipient_name, reason, status, sent_at)
                values (gen_random_uuid(), gen_random_uuid(), :email, 'Bea', 'PARTICIPANT', 'SENT', now()) returning id
                """).param("email", address("bea")).query(Long.class).single();

        // Each index of the table whose predicate (if any) this row meets: where its row versions go.
        record Index(String name, String predicate) {
        }
        List<Index> indexes = jdbc.sql("""
                select i.relname, coalesce(pg_get_expr(x.indpred, x.indrelid), 'true') as predicate
                  from pg_index x join pg_class i on i.oid = x.indexrelid
                 where x.indrelid = 'delivery'::regclass
                 order by i.relname""")
                .query((rs, row) -> new Index(rs.getString("relname"), rs.getString("predicate"))).list();
        List<String> entered = indexes.stream()
                .filter(index -> jdbc.sql("select count(*) from delivery where id = :id and (" + index.predicate() + ")")
                        .param("id", id).query(Long.class).single() == 1)
                .map(Index::name)
                .toList();

        assertThat(entered).containsExactly("delivery_finished_age", "delivery_once", "delivery_pkey", "delivery_recipient");
    }

    @Test
    void theGaugesReadAnIndexNotTheTable() {
        assertThat(planWithoutSeqScans(OldestPendingDelivery.OLDEST_PENDING))
                .contains("delivery_unsent_by_status")
                .doesNotContain("Seq Scan")
                .doesNotContain("Sort");
        assertThat(planWithoutSeqScans(Deliveries.COUNT_PENDING))
                .contains("Index Only Scan")
                .doesNotContain("Seq Scan");
    }

    /**
     * The senders' claims (V12) keep one plan on a connection, and that plan must not turn into a read
     * of the whole table when the statistics see a backlog: with a bound LIMIT the generic plan is
     * costed for a tenth of the due rows, and `id in (select ...)` then became a hash join over a
     * sequential scan. Each claim of the function is explained as the function runs it (a generic
     * plan) on a copy of the table with 20,000 due rows per lane, analysed; the copy is a temporary
     * table of this transaction, so no other test's table or statistics change.
     */
    @Test
    void theClaimsKeepOneGenericPlanThatReadsTheDueRowsByIndexEvenDuringABacklog() {
        assertThat(jdbc.sql("select array_to_string(proconfig, ',') from pg_proc where proname = 'claim_due_deliveries'")
                .query(String.class).single())
                .isEqualTo("plan_cache_mode=force_generic_plan");
        String source = jdbc.sql("select prosrc from pg_proc where proname = 'claim_due_deliveries'").query(String.class).single();
        List<String> claims = Pattern.compile("return query(.*?);", Pattern.DOTALL).matcher(source).results()
                .map(match -> match.group(1)
                        .replace("lease_seconds", "$1").replace("claimant", "$2").replace("batch_limit", "$3"))
                .toList();
        assertThat(claims).hasSize(2);

        List<String> plans = transactions.execute(status -> {
            jdbc.sql("create temp table delivery (like delivery including all) on commit drop").update();
            jdbc.sql("""
                    insert into delivery (id, comment_id, post_id, recipient_email, recipient_name, reason)
                    select n, gen_random_uuid(), gen_random_uuid(), 'backlog-' || n || '@example.org', 'Bea',
                           case when n % 2 = 0 then 'DIRECT_REPLY' else 'PARTICIPANT' end
                      from generate_series(1, 40000) n""").update();
            jdbc.sql("analyze delivery").update();
            jdbc.sql("set local plan_cache_mode = force_generic_plan").update();
            List<String> explained = claims.stream().map(claim -> {
                String name = "claim_" + UUID.randomUUID().toString().replace("-", "");
                jdbc.sql("prepare " + name + " (double precision, uuid, integer) as " + claim).update();
                try {
                    return String.join("\n", jdbc.sql("explain execute " + name + " (30, gen_random_uuid(), 50)")
                            .query(String.class).list());
                } finally {
                    jdbc.sql("deallocate " + name).update();
                }
            }).toList();
            status.setRollbackOnly();
            return explained;
        });

        assertThat(plans).allSatisfy(plan -> assertThat(plan)
                .contains("InitPlan")
                .contains("Index Cond: (id = ANY")
                .contains("Index Cond: (next_attempt_at <= now())")
                .doesNotContain("Seq Scan")
                .doesNotContain("Hash")
                .doesNotContain("Sort"));
    }

    /** The plan the planner finds when a table scan costs it more than any index would. */
    private String planWithoutSeqScans(String query) {
        return transactions.execute(status -> {
            jdbc.sql("set local enable_seqscan = off").update();
            return String.join("\n", jdbc.sql("explain " + query).query(String.class).list());
        });
    }
}
