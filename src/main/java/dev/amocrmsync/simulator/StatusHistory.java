package dev.amocrmsync.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * The past moves of freshly generated leads through the funnel, for the event log: each lead started in its
 * pipeline's first stages (now and then in the main pipeline, then moved across), went through one to four stages at
 * seconds between its creation and its last update, and ended where it stands now. Robots move 150 to 300 leads in one
 * second now and then, as a nightly rule does, so a second can hold more status changes than a page of events.
 */
final class StatusHistory {

    /** One move of one lead: the stage it left, the one it entered, when and by whom (0: a robot). */
    record Move(long leadId, long at, long by, EventValue.LeadStatus from, EventValue.LeadStatus to) {
    }

    private record Robot(long second, Catalog.Pipeline pipeline, Catalog.Status stage) {
    }

    private final Random random;

    StatusHistory(long seed) {
        this.random = new Random(seed ^ 0x5747_05L);
    }

    /** The moves that brought these leads where they stand, robots' crowded seconds included; oldest first per lead. */
    List<Move> of(List<SimLead> leads, long now, long span) {
        List<Robot> robots = new ArrayList<>();
        if (leads.size() >= 400) {
            for (int i = 0, n = 1 + leads.size() / 8_000; i < n; i++) {
                Catalog.Pipeline pipeline = Catalog.PIPELINES.get(0);
                List<Catalog.Status> targets = pipeline.statuses().stream().filter(s -> s.type() == 0).toList();
                robots.add(new Robot(now - 1 - (long) (span * (0.03 + 0.3 * random.nextDouble())), pipeline,
                        targets.get(random.nextInt(targets.size()))));
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < leads.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        Robot[] movedBy = new Robot[leads.size()];
        for (Robot robot : robots) {
            int wanted = 150 + random.nextInt(151);
            for (int i : order) {
                SimLead lead = leads.get(i);
                if (wanted > 0 && movedBy[i] == null && lead.pipelineId() == robot.pipeline().id()
                        && lead.createdAt() < robot.second() && robot.second() <= lead.updatedAt()
                        && (robot.stage().id() == lead.statusId() || robot.second() < lead.updatedAt())) {
                    movedBy[i] = robot;
                    wanted--;
                }
            }
        }
        List<Move> moves = new ArrayList<>();
        for (int i = 0; i < leads.size(); i++) {
            moves.addAll(movesOf(leads.get(i), movedBy[i]));
        }
        return moves;
    }

    private List<Move> movesOf(SimLead lead, Robot robot) {
        Catalog.Pipeline pipeline = Catalog.pipeline(lead.pipelineId());
        EventValue.LeadStatus now = new EventValue.LeadStatus(lead.statusId(), lead.pipelineId());
        EventValue.LeadStatus start = start(lead, pipeline, robot);
        List<Long> times = new ArrayList<>();
        int forced = -1;
        if (robot != null) {
            times.addAll(seconds(lead.createdAt(), robot.second() - 1, random.nextInt(3)));
            forced = times.size();
            times.add(robot.second());
            if (robot.stage().id() != lead.statusId()) {
                times.addAll(seconds(robot.second(), lead.updatedAt(), 1 + random.nextInt(2)));
            }
        } else if (lead.updatedAt() > lead.createdAt()) {
            int count = start.equals(now) ? (random.nextInt(10) < 6 ? 0 : 2) : 1 + random.nextInt(4);
            times.addAll(seconds(lead.createdAt(), lead.updatedAt(), count));
            if (!times.isEmpty() && random.nextBoolean()) {
                times.set(times.size() - 1, lead.updatedAt());
            }
        }
        if (times.isEmpty() || times.size() == 1 && start.equals(now)) {
            // created straight into its stage, as an integration creates leads
            return List.of();
        }
        List<Move> moves = new ArrayList<>(times.size());
        EventValue.LeadStatus from = start;
        for (int i = 0; i < times.size(); i++) {
            EventValue.LeadStatus to;
            if (i == times.size() - 1) {
                to = now;
            } else if (i == forced) {
                to = new EventValue.LeadStatus(robot.stage().id(), pipeline.id());
            } else {
                EventValue.LeadStatus avoid = i + 1 == forced
                        ? new EventValue.LeadStatus(robot.stage().id(), pipeline.id())
                        : i + 1 == times.size() - 1 ? now : null;
                to = between(pipeline, from, avoid);
            }
            if (to.equals(from)) {
                continue;
            }
            long by = i == forced ? 0 : random.nextInt(7) == 0 ? 0 : lead.responsibleUserId();
            moves.add(new Move(lead.id(), times.get(i), by, from, to));
            from = to;
        }
        return moves;
    }

    /** Where the lead entered the funnel: the unsorted or first stage, now and then of the main pipeline. */
    private EventValue.LeadStatus start(SimLead lead, Catalog.Pipeline pipeline, Robot robot) {
        Catalog.Pipeline first = robot == null && !pipeline.main() && random.nextInt(10) < 3 ? Catalog.PIPELINES.get(0)
                : pipeline;
        Catalog.Status stage = first.statuses().get(random.nextInt(10) < 4 ? 0 : 1);
        if (robot != null && stage.id() == robot.stage().id()) {
            stage = first.statuses().get(0);
        }
        return new EventValue.LeadStatus(stage.id(), first.id());
    }

    /** An open stage of the pipeline (not the unsorted one) other than {@code from} and {@code avoid}. */
    private EventValue.LeadStatus between(Catalog.Pipeline pipeline, EventValue.LeadStatus from,
            EventValue.LeadStatus avoid) {
        List<Catalog.Status> open = pipeline.statuses().stream()
                .filter(s -> s.type() == 0 && s.id() != Catalog.WON && s.id() != Catalog.LOST)
                .filter(s -> !(from.pipelineId() == pipeline.id() && s.id() == from.statusId()))
                .filter(s -> avoid == null || s.id() != avoid.statusId()).toList();
        Catalog.Status stage = open.get(random.nextInt(open.size()));
        return new EventValue.LeadStatus(stage.id(), pipeline.id());
    }

    /** Whether a lost lead was closed without a reason given (then its {@code loss_reason_id} is null). */
    boolean lostWithoutReason() {
        return random.nextInt(5) == 0;
    }

    /** Up to {@code count} distinct seconds in {@code (after, upTo]}, ascending. */
    private List<Long> seconds(long after, long upTo, int count) {
        long room = upTo - after;
        TreeSet<Long> seconds = new TreeSet<>();
        for (int i = 0; i < count && seconds.size() < room; i++) {
            long second;
            do {
                second = after + 1 + (long) (room * random.nextDouble());
            } while (second > upTo || !seconds.add(second));
        }
        return new ArrayList<>(seconds);
    }
}
