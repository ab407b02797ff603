"""account_sessions: server-side session rows, so logging out ends a session everywhere

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "account_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=32), nullable=True),
        sa.Column("city", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_account_session_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_session")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_account_session_token_digest")),
    )
    with op.batch_alter_table("account_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_session_city"), ["city"], unique=False)
        batch_op.create_index(
            "ix_account_session_city_account", ["city", "account_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("account_session", schema=None) as batch_op:
        batch_op.drop_index("ix_account_session_city_account")
        batch_op.drop_index(batch_op.f("ix_account_session_city"))

    op.drop_table("account_session")
