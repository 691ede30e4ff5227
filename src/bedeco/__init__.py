"""bedeco: the working platform of Benelux defence cooperation.

It reads parliamentary texts into aligned records, keeps the register of
commitments and initiatives, carries early notices between the nations under
classification and releasability rules, plans pooled maintenance, and
publishes a public multilingual portal.
"""

__version__ = "0.1.0"
