-- The fan-out of a hot thread reads its participants with no quiet time along this index only
-- (issue 9, hot threads; docs/benchmark.md, 2026-12-07 evening).
--
-- In V10's form, (post_id, email), the primary key served the same order, and the planner chose
-- between the two by quiet_until's null fraction, measured over the whole table: while the
-- statistics said nearly nobody was quiet (every table whose threads are mostly not hot, and every
-- hot thread until autovacuum analysed), it walked the primary key over the whole thread, dropping
-- each quiet participant in a filter: 10,000 rows read for each comment of a thread of 10,000 whose
-- participants all fold. Ordered by email in the "C" collation (byte order), the index serves an
-- order the primary key does not: the primary key would have to read and sort the whole thread,
-- which the planner never prefers to stopping after one page. The fan-out that uses it pages in
-- that order throughout (FanOut.participantsQuery); any total order serves a keyset.
drop index thread_participant_heard;
create index thread_participant_heard on thread_participant (post_id, email collate "C") where quiet_until is null;
