"""Who may write, review and publish content (docs/roles.md, docs/content.md).

Registered here with rules.set_perm so that accounts does not import content. An article is
checked like its initiative (`Article.initiative`), as accounts.rules reads `obj.initiative`.
"""

from __future__ import annotations

import rules

from clusterportal.accounts.rules import is_cluster_manager, is_curator, is_manager_of


@rules.predicate
def is_draft_of_own_initiative(user, article) -> bool:
    """A manager edits their initiative's news while it is a draft (not once in review
    or published: then it is the curators')."""
    if article is None:
        return False
    return article.kind == "news" and article.status == "draft" and is_manager_of(user, article)


CONTENT_PERMISSIONS = {
    # Write news at all (the portal form); which initiative is checked on save.
    "content.write_news": is_curator | is_cluster_manager,
    "content.edit_article": is_curator | is_draft_of_own_initiative,
    "content.submit_article": is_curator | is_draft_of_own_initiative,
    "content.review_article": is_curator,
    "content.publish_article": is_curator,
    "content.edit_page": is_curator,
    "content.edit_publication": is_curator,
}

for _name, _predicate in CONTENT_PERMISSIONS.items():
    rules.set_perm(_name, _predicate)
