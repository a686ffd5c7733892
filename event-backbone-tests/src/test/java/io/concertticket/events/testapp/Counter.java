package io.concertticket.events.testapp;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The consuming side's state (also what makes Hibernate ORM start in this test application). */
@Entity
@Table(name = "counter")
public class Counter {
    @Id
    @Column(name = "counter_key")
    public String key;

    @Column(name = "total")
    public long total;
}
