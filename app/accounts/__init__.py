"""Who uses the lab: the personal mode's one local owner, or a classroom's accounts.

``actor`` is the contract every face builds on: each request carries the ``Actor`` asking
(``actor_of``), set by ``identify.Identify`` before any route runs.
"""
