package org.replyensemble.support.http;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's last word on a request Spring never saw (an invalid path such as {@code /api/posts/%00},
 * a request line or header Tomcat cannot parse, a header or URI over the size limit): an RFC 9457
 * problem document instead of Tomcat's HTML error page, with no server name or version.
 * Anything that already has a body (Spring's own problem details) is left alone.
 */
public class ProblemReportValve extends ErrorReportValve {

    public ProblemReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String document = ProblemDocuments.textForStatus(status);
        try {
            response.setContentType(ProblemDocuments.CONTENT_TYPE);
            response.setCharacterEncoding("UTF-8");
            // The reporter writes whether or not a stream or writer was taken before (as Tomcat's own report does).
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(document);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone, or the response cannot take a body any more: nothing left to tell.
        }
    }
}
