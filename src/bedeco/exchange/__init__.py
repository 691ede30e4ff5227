"""Early information exchange between the Benelux nations (recital O, request 11).

A nation drafts a *notice* of the means and troops it intends to deploy to a
multinational crisis-management operation, marks it with a classification and
a releasability set, and circulates it; every other nation in the set answers
(will contribute, considering, not contributing, needs information). Every
version of a notice and of an answer is kept. Readers have an inbox with
unread marks, a personal Atom feed behind a revocable token, and each nation
may receive signed webhooks. Every read path applies the foundation's access
rule (``bedeco.security``); every change is an audit event.

Modules: ``logic`` (pure rules, read first), ``model`` (tables), ``access``
(the visibility clauses every query uses), ``service`` (notices: draft, edit,
circulate, close, withdraw, list, search), ``answers`` (answers, the board,
reading a notice whole, export), ``alerts`` (activities, inbox, read marks,
feed tokens, webhook settings), ``outbox`` (signed payloads, claiming and
recording deliveries), ``worker`` (the delivery job), ``atom`` (the feed
document), ``forms`` (reading HTML forms), ``api``, ``pages``, ``cli``.
"""
