package org.replyensemble.support.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

class PageRequestTest {

    @Test
    void defaultsApplyWhenAbsent() {
        assertThat(PageRequest.of(null, null, 20, 100)).isEqualTo(new PageRequest(0, 20));
    }

    @Test
    void theLargestPageNumberDoesNotOverflowTheOffset() {
        PageRequest last = PageRequest.of(Integer.MAX_VALUE, 100, 20, 100);
        assertThat(last.offset()).isEqualTo(214_748_364_700L);
    }

    @Test
    void negativePagesAndOutOfRangeSizesAre400sNamingTheField() {
        assertThatThrownBy(() -> PageRequest.of(-1, 0, 20, 100))
                .isInstanceOfSatisfying(ErrorResponseException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.getBody().getProperties().get("errors")).asString().contains("page", "size");
                });
        assertThatThrownBy(() -> PageRequest.of(0, 101, 20, 100)).isInstanceOf(ErrorResponseException.class);
        assertThatThrownBy(() -> PageRequest.of(0, Integer.MIN_VALUE, 20, 100)).isInstanceOf(ErrorResponseException.class);
    }

    @Test
    void totalPagesRoundUpAndNeverOverflow() {
        PageRequest request = new PageRequest(0, 2);
        assertThat(Page.of(List.of("a", "b"), request, 5).totalPages()).isEqualTo(3);
        assertThat(Page.of(List.of(), request, 0).totalPages()).isZero();
        assertThat(Page.of(List.of(), new PageRequest(0, 1), Long.MAX_VALUE - 1).totalPages()).isEqualTo(Integer.MAX_VALUE);
    }
}
