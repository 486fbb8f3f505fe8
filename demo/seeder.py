"""Plays the demo's stories (demo.stories) for `manage.py seed_demo`: French stories,
promises in every state, a few hundred people, and what they say and show along the way (news,
discussions with replies, photos, kept promises, abandons, a published bilan).

It goes through the real services (promise_create, pledge_create, pledge_withdraw,
pledge_abandon, promise_cancel, promises_fail_expired, update_create, post_create,
comment_create, pledge_keep_and_post, recap_save, recap_publish), so counters, transitions and
photos are the ones the site itself would produce. Only afterwards are the timestamps moved
into the past weeks with queryset updates, so that listings look natural: the order of the
service calls is the order of those timestamps, hence reached_at is the activation time of the
pledge that reached the objective and late joiners are activated after it.
"""

import datetime
import random
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from accounts.services import moderator_grant
from discussions import services as discussion_services
from discussions.models import Comment, Post
from notifications.models import Broadcast
from onpromet.french import elide_de, french_date
from onpromet.photos import ProcessedPhoto, process_photo
from organisations import services as organisation_services
from organisations.models import Membership, Organisation
from promises import commitments, services
from promises.models import Pledge, Promise, Recap, Theme, Update
from promises.sharing import Arrival

from . import people
from .people import ACCOUNTS, PASSWORD
from .photos import photo_upload
from .stories import STORIES, Moment, Story


def _next_weekday(start: datetime.date, weekday: int) -> datetime.date:
    return start + datetime.timedelta(days=(weekday - start.weekday()) % 7)


def _month_ahead(today: datetime.date, min_days: int) -> datetime.date:
    """The first day of the first month that starts at least min_days from today."""
    day = today + datetime.timedelta(days=min_days)
    if day.day == 1:
        return day
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _evening(day: datetime.date) -> datetime.datetime:
    """20:00 in Paris on that day: when a deadline falls."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(20, 0)))


@dataclass(frozen=True)
class Dates:
    """When a story's action happens and its deadline falls, counted from today."""

    action: datetime.date
    deadline: datetime.datetime

    @classmethod
    def of(cls, story: Story, today: datetime.date) -> "Dates":
        if story.month_ahead is not None:
            # An action that lasts a month: its first weekday; the deadline comes before the 1st.
            start = _month_ahead(today, story.month_ahead)
            action = _next_weekday(start, story.weekday)
        else:
            action = today + datetime.timedelta(days=story.days_ahead)
            if story.weekday is not None:
                action = _next_weekday(action, story.weekday)
            start = action
        return cls(
            action=action, deadline=_evening(start - datetime.timedelta(story.deadline_before))
        )

    def fill(self, text: str) -> str:
        """The story's text with its dates: {day}, {of_month}."""
        month = french_date(self.action, weekday=False, day=False, year=False)
        return text.format(day=french_date(self.action, year=False), of_month=elide_de(month))


class Seeder:
    """Builds the demo in one transaction: all of it or nothing, so a rerun never half-seeds."""

    def __init__(self, *, now: datetime.datetime) -> None:
        self.now = now
        self.today = timezone.localdate(now)
        # Not for security: the same demo every time.
        self.rng = random.Random(2027)  # noqa: S311  # nosec B311
        # Intended timestamps, applied once the services have run.
        self.pledge_times: dict[tuple[int, int], dict[str, datetime.datetime | None]] = {}
        self.first_seen: dict[int, datetime.datetime] = {}
        self.posts = self.photos = 0

    @transaction.atomic
    def run(self) -> None:
        themes = {
            name: Theme.objects.get_or_create(
                name=name,
                defaults={"slug": slugify(name), "icon": icon, "description": description},
            )[0]
            for name, (icon, description) in people.THEMES.items()
        }
        self.create_people()
        self.create_organisations()
        played = []
        for story in STORIES:
            dates = Dates.of(story, self.today)
            played.append((story, dates, self.play(story, dates, themes)))
        self.apply_pledge_times()
        for story, dates, promise in played:
            cast = self.cast(story, dates, promise)
            self.tell(story, dates, promise, cast)
            if story.kept:
                self.keep(story, dates, promise, cast)
            if story.recap:
                self.publish_recap(story, promise)
        self.sponsor(played)
        # The demo's stories happened weeks ago: their emails (objective reached, news,
        # initiators' posts, replies, bilan…) belong to the past and are not sent now. (The
        # tasks enqueued on commit find no broadcast and do nothing.)
        Broadcast.objects.filter(promise__created_by__in=self.by_name.values()).delete()

    # --- People -------------------------------------------------------------------------------

    def create_people(self) -> None:
        password = make_password(PASSWORD)  # hashed once: hashing is slow on purpose
        joined = self.now - datetime.timedelta(days=45)
        accounts = [
            User(
                email=email,
                display_name=name,
                password=password,
                date_joined=joined,
            )
            for email, name, _role in ACCOUNTS
        ]
        account_names = {name for _email, name, _role in ACCOUNTS}
        initiators = dict.fromkeys(s.initiator for s in STORIES if s.initiator not in account_names)
        participants = []
        for i in range(people.PARTICIPANTS):
            first = self.rng.choice(people.FIRST_NAMES)
            name = (
                first if self.rng.random() < 0.4 else f"{first} {self.rng.choice(people.INITIALS)}."
            )
            participants.append(
                User(
                    email=f"{slugify(first)}.{i:03d}@{people.DEMO_DOMAIN}",
                    display_name=name,
                    password=password,
                    appears_anonymously=self.rng.random() < 0.12,
                    date_joined=joined,
                )
            )
        local = [
            User(
                email=f"{slugify(name)}@{people.DEMO_DOMAIN}",
                display_name=name,
                password=password,
                date_joined=joined,
            )
            for name in initiators
        ]
        users = User.objects.bulk_create(accounts + local + participants)
        # A real moderator, as `manage.py moderator` makes one: staff, never superuser.
        moderator_grant(user=users[0])
        self.by_name = {user.display_name: user for user in users[: len(accounts) + len(local)]}
        # One in fifteen has not clicked the confirmation link yet: their pledges are pending.
        self.unverified = participants[::15]
        unverified_ids = {user.pk for user in self.unverified}
        self.verified = [user for user in participants if user.pk not in unverified_ids]
        EmailAddress.objects.bulk_create(
            EmailAddress(
                user=user, email=user.email, primary=True, verified=user.pk not in unverified_ids
            )
            for user in users
        )

    def create_organisations(self) -> None:
        """Each organisation with its admin, members drawn apart from self.rng (the rest of the
        demo stays what it was), and for the company one animateur."""
        draw = random.Random("organisations")  # noqa: S311  # nosec B311
        self.organisations, self.members = {}, {}
        for name, kind, admin, description, count in people.ORGANISATIONS:
            organisation = organisation_services.organisation_create(
                user=self.by_name[admin], name=name, kind=kind, description=description
            )
            Organisation.objects.filter(pk=organisation.pk).update(verified_at=self.now)
            members = draw.sample(self.verified, count)
            Membership.objects.bulk_create(
                Membership(
                    organisation=organisation,
                    user=user,
                    role=Membership.Role.ANIMATEUR if i == 0 else Membership.Role.MEMBER,
                    via=Membership.Via.LINK,
                )
                for i, user in enumerate(members)
            )
            self.organisations[name] = organisation
            self.members[name] = members

    def sponsor(self, played) -> None:
        """The company backs the Strasbourg cycling challenge, and its initiator accepts."""
        promise = next(p for _story, _dates, p in played if p.city == "Strasbourg")
        commitment = commitments.commitment_propose(
            organisation=self.organisations["Cap Vert Énergie"],
            promise=promise,
            user=self.by_name["Arthur"],
            text="offre un éclairage de vélo à chaque participant",
            amount=1,
            unit="éclairage",
        )
        commitments.commitment_accept(commitment=commitment, user=promise.created_by)

    # --- Promises -----------------------------------------------------------------------------

    def play(self, story: Story, dates: Dates, themes: dict[str, Theme]) -> Promise:
        """Run one story's pledges through the services, in the order of their timestamps."""
        created_at = self.daytime(
            self.now - story.created_ago, self.now - datetime.timedelta(hours=1)
        )
        if story.state == Promise.State.FAILED:
            end = dates.deadline  # pledges stop at the deadline; the sweep fails it just after
        elif story.state == Promise.State.CANCELLED:
            end = min(self.now - story.cancelled_ago, dates.deadline - datetime.timedelta(hours=2))
        else:
            end = self.now - (story.finished_ago or datetime.timedelta(minutes=10))
        if story.state == Promise.State.REACHED and dates.action < self.today:
            # Nobody joins or abandons once the action is over: the story stops that morning.
            end = min(end, _evening(dates.action) - datetime.timedelta(hours=12))
        initiator = self.by_name[story.initiator]
        promise = services.promise_create(
            created_by=initiator,
            action=dates.fill(story.action),
            objective=story.objective,
            # Pledges are only taken before the deadline: it moves to its real place at the end.
            deadline=max(dates.deadline, self.now + datetime.timedelta(days=1)),
            description=dates.fill(story.description),
            city=story.city,
            themes=[themes[name] for name in story.themes],
            action_date=dates.action,
            organisation=self.organisations.get(story.organisation),
            visibility=(
                Promise.Visibility.MEMBERS if story.members_only else Promise.Visibility.PUBLIC
            ),
        )
        self.note(promise, initiator, created=created_at, activated=created_at)

        reached, reached_at = story.state == Promise.State.REACHED, None
        if reached:
            reached_at = self.daytime(self.now - story.reached_ago, self.now)
            early = self.spread(created_at, reached_at, story.counted - 1) + [reached_at]
            late = self.spread(reached_at, end, story.late)
        else:
            early = self.spread(created_at, end, story.counted + story.withdrawn)
            late = []

        everyone = self.members[story.organisation] if story.members_only else self.verified
        pool = [user for user in everyone if user != initiator]
        sampled = self.rng.sample(pool, len(early) + len(late))
        early_people, late_people = sampled[: len(early)], sampled[len(early) :]
        paula = self.by_name["Paula"]
        if story.with_paula:
            # Paula keeps her word: she neither withdraws nor abandons. One of the first to
            # pledge (the first ones abandon), she can take part in the discussion from the start.
            early_people[len(story.abandons)] = paula
        pledgers = list(zip(early + late, early_people + late_people, strict=True))
        # (time, order, kind, user, reason): order breaks ties so a pledge precedes its withdrawal.
        events = [(at, 0, "pledge", user, "") for at, user in pledgers]
        may_withdraw = [(at, user) for at, user in pledgers if user != paula]
        for at, user in self.rng.sample(may_withdraw, story.withdrawn):  # never once reached
            events.append((self.between(at, end), 1, "withdraw", user, ""))
        for reason, (at, user) in zip(story.abandons, pledgers, strict=False):
            events.append((self.between(max(at, reached_at), end), 1, "abandon", user, reason))
        for user in self.rng.sample(self.unverified, story.pending):
            events.append((self.between(created_at, end), 0, "pledge", user, ""))

        # Where each pledge came from (the dashboard's sources): drawn apart from self.rng, so
        # that the rest of the story stays what it was.
        sources = random.Random(f"sources-{promise.action}")  # noqa: S311  # nosec B311
        sharers = list(Pledge.objects.filter(promise=promise).values_list("pk", flat=True))
        for at, _order, kind, user, reason in sorted(events, key=lambda e: e[:2]):
            if kind == "pledge":
                draw = sources.random()
                arrival = (
                    Arrival(Pledge.Source.LINK, sources.choice(sharers))
                    if draw < 0.35
                    else Arrival(Pledge.Source.WIDGET)
                    if draw < 0.45
                    else None
                )
                pledge = services.pledge_create(promise=promise, user=user, arrival=arrival)
                sharers.append(pledge.pk)
                activated = at if pledge.is_active else None
                # Someone new signs up then clicks the link in the email a few minutes later.
                pledged = at - datetime.timedelta(minutes=self.rng.choice([0, 0, 0, 3, 7, 18]))
                self.note(promise, user, created=pledged, activated=activated)
                if pledge.promise.is_reached and promise.reached_at is None:
                    promise.reached_at = at
            elif kind == "withdraw":
                services.pledge_withdraw(promise=promise, user=user)
                self.note(promise, user, withdrawn_at=at)
            else:
                services.pledge_abandon(promise=promise, user=user, reason=reason)
                self.note(promise, user, abandoned_at=at)

        times = {"created_at": created_at, "updated_at": created_at}
        if reached:
            times["reached_at"] = promise.reached_at
        elif story.state == Promise.State.CANCELLED:
            services.promise_cancel(promise=promise)
            times["cancelled_at"] = end
        Promise.objects.filter(pk=promise.pk).update(deadline=dates.deadline, **times)
        promise.refresh_from_db()
        if story.state == Promise.State.FAILED:
            # What the beat's sweep does a few minutes after the deadline.
            services.promises_fail_expired()
            Promise.objects.filter(pk=promise.pk).update(
                failed_at=end + datetime.timedelta(minutes=3)
            )
        return promise

    # --- What people say and show -------------------------------------------------------------

    def cast(
        self, story: Story, dates: Dates, promise: Promise
    ) -> dict[str, tuple[User, datetime.datetime]]:
        """Who speaks in the story, with the time from which they may: the initiator, Paula, and
        "@1", "@2"… picked among the participants who had pledged by the time they first speak
        (active ones, under their name: a conversation between anonymous people reads oddly)."""
        lines = [(post.author, post.at) for post in story.posts]
        lines += [(reply.author, reply.at) for post in story.posts for reply in post.replies]
        evening = _evening(dates.action)
        first: dict[str, datetime.datetime] = {}
        for author, moment in lines:
            at = self.moment(moment, dates)
            first[author] = min(at, first.get(author, at))
        for keep in story.keeps:
            first[keep.author] = min(evening, first.get(keep.author, evening))
        pledges = list(
            promise.pledges.filter(status=Pledge.Status.ACTIVE)
            .select_related("user")
            .order_by("activated_at", "pk")
        )
        since = {pledge.user_id: pledge.activated_at for pledge in pledges}
        candidates = [
            pledge
            for pledge in pledges
            if not pledge.is_initiator
            and not pledge.user.appears_anonymously
            and pledge.user.display_name != "Paula"
        ]
        cast = {}
        for role in sorted(first, key=lambda role: first[role]):
            if not role.startswith("@"):
                user = self.by_name[role]
                if user.pk not in since:
                    raise CommandError(f"{role} ne participe pas à « {promise.action} ».")
                cast[role] = (user, since[user.pk])
                continue
            chosen = {user.pk for user, _since in cast.values()}
            free = [pledge for pledge in candidates if pledge.user_id not in chosen]
            ready = [p for p in free if p.activated_at < first[role] - datetime.timedelta(hours=1)]
            pledge = self.rng.choice(ready) if ready else free[0]
            cast[role] = (pledge.user, pledge.activated_at)
        return cast

    def moment(self, moment: Moment, dates: Dates) -> datetime.datetime:
        day = (dates.action if moment.from_action else self.today) + datetime.timedelta(
            days=moment.days
        )
        clock = datetime.time.fromisoformat(moment.clock)
        return min(timezone.make_aware(datetime.datetime.combine(day, clock)), self.now)

    def photo(self, scene: str) -> ProcessedPhoto | None:
        """A photo of the scene, through the checks and re-encoding of every upload."""
        if not scene:
            return None
        self.photos += 1
        rng = random.Random(f"{scene}-{self.photos}")  # noqa: S311  # nosec B311
        return process_photo(photo_upload(scene, rng))

    def tell(
        self,
        story: Story,
        dates: Dates,
        promise: Promise,
        cast: dict[str, tuple[User, datetime.datetime]],
    ) -> None:
        """The initiator's news, then the discussion: posts, their replies, a pinned post."""
        initiator = self.by_name[story.initiator]
        emailed_days = set()
        for news in story.news:
            at = max(self.moment(news.at, dates), promise.created_at + datetime.timedelta(hours=1))
            update = services.update_create(
                promise=promise, author=initiator, text=news.text, photo=self.photo(news.photo)
            )
            # At most one news a day is emailed (update_create decides it for today, not for
            # the day the story gives it).
            day = timezone.localdate(at)
            Update.objects.filter(pk=update.pk).update(
                created_at=at, emailed=day not in emailed_days
            )
            emailed_days.add(day)
        for story_post in story.posts:
            thread = [(story_post.author, story_post.at)]
            thread += [(reply.author, reply.at) for reply in story_post.replies]
            times = [self.moment(moment, dates) for _author, moment in thread]
            # A thread moves as a whole when someone in it had not pledged yet: its replies stay
            # in their order.
            floors = [
                max(promise.created_at, cast[author][1]) + datetime.timedelta(minutes=20)
                for author, _moment in thread
            ]
            shift = max(datetime.timedelta(0), *(f - t for f, t in zip(floors, times, strict=True)))
            times = [min(at + shift, self.now) for at in times]
            post = discussion_services.post_create(
                promise=promise,
                author=cast[story_post.author][0],
                text=story_post.text,
                photo=self.photo(story_post.photo),
            )
            self.posts += 1
            Post.objects.filter(pk=post.pk).update(created_at=times[0])
            for reply, at in zip(story_post.replies, times[1:], strict=True):
                comment = discussion_services.comment_create(
                    post=post, author=cast[reply.author][0], text=reply.text
                )
                Comment.objects.filter(pk=comment.pk).update(created_at=at)
            if story_post.pinned:
                discussion_services.post_toggle_pin(post=post)

    def keep(
        self,
        story: Story,
        dates: Dates,
        promise: Promise,
        cast: dict[str, tuple[User, datetime.datetime]],
    ) -> None:
        """The evening of the action, `kept` participants say they kept their promise; those
        of story.keeps add a comment (and a photo), which becomes a post of the discussion."""
        named = [(cast[keep.author][0], keep) for keep in story.keeps]
        named_ids = {user.pk for user, _keep in named}
        others = [
            pledge.user
            for pledge in promise.pledges.filter(is_initiator=False, status=Pledge.Status.ACTIVE)
            .select_related("user")
            .order_by("pk")
            if pledge.user_id not in named_ids
        ]
        plain = self.rng.sample(others, min(story.kept - len(named), len(others)))
        keepers = named + [(user, None) for user in plain]
        self.rng.shuffle(keepers)
        evening = _evening(dates.action)
        times = sorted(
            evening + datetime.timedelta(minutes=self.rng.randint(-90, 150)) for _ in keepers
        )
        for (user, keep), at in zip(keepers, times, strict=True):
            discussion_services.pledge_keep_and_post(
                promise=promise,
                user=user,
                comment=keep.comment if keep else "",
                photo=self.photo(keep.photo) if keep else None,
            )
            Pledge.objects.filter(promise=promise, user=user).update(kept_at=at)
            if keep:
                self.posts += 1
                post = Post.objects.filter(promise=promise, author=user).order_by("-pk").first()
                Post.objects.filter(pk=post.pk).update(created_at=at)

    def publish_recap(self, story: Story, promise: Promise) -> None:
        """The end of the story: the initiator writes and publishes the bilan (the promise
        becomes finished). Through the services, then dated like the rest."""
        services.recap_save(promise=promise, author=promise.created_by, text=story.recap)
        services.recap_publish(promise=promise)
        finished_at = self.now - story.finished_ago
        Promise.objects.filter(pk=promise.pk).update(finished_at=finished_at)
        Recap.objects.filter(promise=promise).update(
            created_at=finished_at - datetime.timedelta(hours=2), published_at=finished_at
        )

    # --- Time ---------------------------------------------------------------------------------

    def spread(
        self, start: datetime.datetime, end: datetime.datetime, count: int
    ) -> list[datetime.datetime]:
        """Times between start and end, many in the first days (the link has just been
        shared), then a trickle."""
        span = (end - start).total_seconds()
        margin = min(1200, span / 10)
        return sorted(
            self.daytime(
                start
                + datetime.timedelta(seconds=margin + (span - margin) * self.rng.random() ** 1.4),
                end,
            )
            for _ in range(count)
        )

    def daytime(self, moment: datetime.datetime, limit: datetime.datetime) -> datetime.datetime:
        """People pledge by day: a time in the small hours moves to the morning."""
        if timezone.localtime(moment).hour < 7:
            moment += datetime.timedelta(hours=7)
        return min(moment, limit)

    def between(self, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
        return self.daytime(start + (end - start) * (0.1 + 0.85 * self.rng.random()), end)

    def note(self, promise: Promise, user: User, **times) -> None:
        self.pledge_times.setdefault((promise.pk, user.pk), {}).update(times)
        if "created" in times:
            seen = self.first_seen.get(user.pk)
            if seen is None or times["created"] < seen:
                self.first_seen[user.pk] = times["created"]

    def apply_pledge_times(self) -> None:
        pledges = list(Pledge.objects.filter(promise__in={pk for pk, _ in self.pledge_times}))
        for pledge in pledges:
            times = self.pledge_times[(pledge.promise_id, pledge.user_id)]
            pledge.created_at = times["created"]
            pledge.activated_at = times["activated"] if pledge.activated_at else None
            if pledge.withdrawn_at:
                pledge.withdrawn_at = times["withdrawn_at"]
            if pledge.abandoned_at:
                pledge.abandoned_at = times["abandoned_at"]
        Pledge.objects.bulk_update(
            pledges, ["created_at", "activated_at", "withdrawn_at", "abandoned_at"]
        )
        # Everyone signed up a little before their first pledge.
        users = list(User.objects.filter(pk__in=self.first_seen))
        for user in users:
            minutes = self.rng.randint(2, 90)
            user.date_joined = self.first_seen[user.pk] - datetime.timedelta(minutes=minutes)
        User.objects.bulk_update(users, ["date_joined"])
