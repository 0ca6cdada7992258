package org.replyensemble.comments.pages;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.replyensemble.support.http.RequestBodyTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;

import jakarta.servlet.http.HttpServletResponse;

/**
 * A page's failure is a page, in the site's look, never a stack trace nor a JSON problem (the
 * shared ProblemHandler answers the API). Before it, as it handles every controller.
 */
@ControllerAdvice(basePackageClasses = PageErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PageErrors {

    private static final Logger log = LoggerFactory.getLogger(PageErrors.class);

    @ExceptionHandler({ DataAccessResourceFailureException.class, CannotCreateTransactionException.class,
            TransientDataAccessException.class })
    ModelAndView unavailable(Exception e, HttpServletResponse response) {
        log.warn("Database unavailable while rendering a page: {}", e.toString());
        response.setHeader(HttpHeaders.RETRY_AFTER, "5");
        ModelAndView page = new ModelAndView("pages/error", HttpStatus.SERVICE_UNAVAILABLE);
        page.addObject("message", "The comments are unavailable for a moment. Nothing was changed; please try again shortly.");
        return page;
    }

    /** Tomcat could not read the query or form (bad %-escape, too many parameters, a form over the size limit). */
    @ExceptionHandler(InvalidParameterException.class)
    ModelAndView unreadable(InvalidParameterException e) {
        boolean tooLarge = HttpStatus.resolve(e.getErrorCode()) == HttpStatus.CONTENT_TOO_LARGE;
        ModelAndView page = new ModelAndView("pages/error", tooLarge ? HttpStatus.CONTENT_TOO_LARGE : HttpStatus.BAD_REQUEST);
        page.addObject("message", tooLarge ? "That was more than this site accepts in one request. Nothing was changed."
                : "This address could not be read (was the link cut off or changed?). Nothing was changed.");
        return page;
    }

    @ExceptionHandler(RequestBodyTooLargeException.class)
    ModelAndView tooLarge(RequestBodyTooLargeException e, HttpServletResponse response) {
        response.setHeader(HttpHeaders.CONNECTION, "close");
        ModelAndView page = new ModelAndView("pages/error", HttpStatus.CONTENT_TOO_LARGE);
        page.addObject("message", "That was more than this site accepts in one request. Nothing was changed.");
        return page;
    }

    @ExceptionHandler(Exception.class)
    ModelAndView unexpected(Exception e) {
        log.error("Unexpected error while rendering a page", e);
        ModelAndView page = new ModelAndView("pages/error", HttpStatus.INTERNAL_SERVER_ERROR);
        page.addObject("message", "Something went wrong on our side. Please try again later.");
        return page;
    }
}
