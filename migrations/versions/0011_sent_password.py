"""sent_password: a password sent by SMS stays pending until its first use

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sent_password_hash", sa.String(length=255), nullable=True))
        batch_op.add_column(
            sa.Column("sent_password_expires_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("sent_password_expires_at")
        batch_op.drop_column("sent_password_hash")
