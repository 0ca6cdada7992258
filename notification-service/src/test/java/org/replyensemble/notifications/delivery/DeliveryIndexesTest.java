package org.replyensemble.notifications.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.replyensemble.notifications.FlowTest;
import org.replyensemble.notifications.operations.OldestPendingDelivery;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The delivery table keeps only the indexes something reads (V11): every claim, SENT mark and
 * insert writes an entry into each index its new row version qualifies for. The operators' gauges
 * still find their rows along an index, never by reading the whole table, which holds every
 * delivery of the retention period.
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

    /** The plan the planner finds when a table scan costs it more than any index would. */
    private String planWithoutSeqScans(String query) {
        return transactions.execute(status -> {
            jdbc.sql("set local enable_seqscan = off").update();
            return String.join("\n", jdbc.sql("explain " + query).query(String.class).list());
        });
    }
}
