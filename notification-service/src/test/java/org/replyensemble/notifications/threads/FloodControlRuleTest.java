package org.replyensemble.notifications.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.replyensemble.notifications.threads.FloodControl.Decision;
import org.replyensemble.notifications.threads.FloodControl.Fold;
import org.replyensemble.notifications.threads.FloodControl.MailNow;
import org.replyensemble.notifications.threads.FloodControl.Window;

/** The folding rule: the default of 3 thread updates at once per 10-minute window, the rest in one summary. */
class FloodControlRuleTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final Instant CLOSES = T0.plus(Duration.ofMinutes(10));
    private final FloodControl rule = new FloodControl(3, Duration.ofMinutes(10));

    @Test
    void theFirstUpdateOpensAWindowAndIsMailedAtOnce() {
        Decision first = rule.decide(null, false, T0);
        assertThat(first).isEqualTo(new MailNow(new Window(T0, 1), false));
        assertThat(first.changes(null)).isTrue();
    }

    @Test
    void theFourthUpdateOpensTheWindowsOneSummaryAndTheLaterOnesGoInItWithoutChangingTheWindow() {
        Window window = null;
        boolean summaryOpen = false;
        Decision[] decisions = new Decision[6];
        boolean[] changes = new boolean[6];
        for (int i = 0; i < 6; i++) {
            decisions[i] = rule.decide(window, summaryOpen, T0.plusSeconds(60L * i));
            changes[i] = decisions[i].changes(window);
            window = decisions[i].window();
            summaryOpen |= decisions[i] instanceof Fold fold && fold.opensSummary();
        }
        assertThat(decisions).extracting(d -> d instanceof Fold).containsExactly(false, false, false, true, true, true);
        assertThat(decisions[3]).isEqualTo(new Fold(new Window(T0, 4), CLOSES, true));
        // Past the limit nothing about the window changes: the thread stage writes nothing for this recipient.
        assertThat(decisions[4]).isEqualTo(new Fold(new Window(T0, 4), CLOSES, false));
        assertThat(decisions[5]).isEqualTo(new Fold(new Window(T0, 4), CLOSES, false));
        assertThat(changes).containsExactly(true, true, true, true, false, false);
    }

    @Test
    void theFirstUpdateAfterTheWindowClosedOpensTheNextWindowAndEndsTheSummaryThatWasStillOpen() {
        Window busy = new Window(T0, 4);
        assertThat(rule.decide(busy, true, CLOSES.minusMillis(1))).isEqualTo(new Fold(busy, CLOSES, false));
        assertThat(rule.decide(busy, true, CLOSES)).isEqualTo(new MailNow(new Window(CLOSES, 1), true));
        // A summary a sender already has needs no end: it is fixed by its claim.
        assertThat(rule.decide(busy, false, CLOSES)).isEqualTo(new MailNow(new Window(CLOSES, 1), false));
        // A quiet window had no summary to end.
        assertThat(rule.decide(new Window(T0, 2), false, CLOSES)).isEqualTo(new MailNow(new Window(CLOSES, 1), false));
    }

    @Test
    void anUpdateWithAnEarlierTimeThanItsWindowCountsInThatWindow() {
        // Comments' times are not strictly in position order (concurrent writers): it belongs to the window it falls in.
        assertThat(rule.decide(new Window(T0, 3), false, T0.minusSeconds(5))).isEqualTo(new Fold(new Window(T0, 4), CLOSES, true));
    }

    @Test
    void anUpdateWhoseSummaryHasGoneIsMailedAtOnceAndOpensTheNextWindow() {
        Instant at = T0.plusSeconds(30);
        assertThat(rule.summaryGone(at)).isEqualTo(new MailNow(new Window(at, 1), false));
        // Past the limit with the summary claimed by a sender (the thread stage a window behind): the same.
        assertThat(rule.decide(new Window(T0, 4), false, at)).isEqualTo(new MailNow(new Window(at, 1), false));
    }

    @Test
    void aWindowWrittenBeforeTheCountStoppedAtTheLimitComesBackToIt() {
        // V8 counted every update: a window row may say 40; it is written once more, as limit + 1.
        Decision decision = rule.decide(new Window(T0, 40), true, T0.plusSeconds(1));
        assertThat(decision).isEqualTo(new Fold(new Window(T0, 4), CLOSES, false));
        assertThat(decision.changes(new Window(T0, 40))).isTrue();
    }

    @Test
    void aLimitOfOneFoldsEverythingAfterTheFirstUpdate() {
        FloodControl strict = new FloodControl(1, Duration.ofMinutes(1));
        Decision first = strict.decide(null, false, T0);
        assertThat(first).isInstanceOf(MailNow.class);
        assertThat(strict.decide(first.window(), false, T0.plusSeconds(1))).isEqualTo(
                new Fold(new Window(T0, 2), T0.plus(Duration.ofMinutes(1)), true));
    }

    @Test
    void aWindowMailsAtLeastItsFirstUpdateAndLastsSomeTime() {
        assertThatThrownBy(() -> new FloodControl(0, Duration.ofMinutes(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FloodControl(3, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
