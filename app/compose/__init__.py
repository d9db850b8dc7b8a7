"""Writing one post: the Draft and Variant data (post), the composer's model (model), the fitted
disclaimer (disclaimer), the final text per account (variants), saved drafts and Voorleggen
(drafts, review_mail)."""
