package io.concertticket.concert.infrastructure;

import io.concertticket.concert.application.ReadOnly;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import org.hibernate.FlushMode;
import org.hibernate.Session;

/** Runs inside the transaction opened by {@code @Transactional} (which has a lower priority number). */
@ReadOnly
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 300)
public class ReadOnlyInterceptor {

    @Inject
    Session session;

    @AroundInvoke
    Object readOnly(InvocationContext ctx) throws Exception {
        session.setDefaultReadOnly(true);
        session.setHibernateFlushMode(FlushMode.MANUAL);
        return ctx.proceed();
    }
}
