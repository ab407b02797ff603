"""public employment: job postings and job seekers

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 23:55:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job_posting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("employer", sa.String(length=128), nullable=False),
        sa.Column("title", sa.String(length=64), nullable=False),
        sa.Column("occupation", sa.String(length=32), nullable=False),
        sa.Column("district", sa.String(length=32), nullable=False),
        sa.Column("education", sa.String(length=24), nullable=False),
        sa.Column("salary_min", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("salary_max", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("contact_phone", sa.String(length=20), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("city", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_posting")),
        sa.UniqueConstraint("city", "reference", name=op.f("uq_job_posting_city_reference")),
    )
    with op.batch_alter_table("job_posting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_posting_city"), ["city"], unique=False)
        batch_op.create_index(
            "ix_job_posting_city_published", ["city", "published_on"], unique=False
        )
        batch_op.create_index(
            "ix_job_posting_city_valid_until", ["city", "valid_until"], unique=False
        )

    op.create_table(
        "job_seeker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=False),
        sa.Column("desired_occupation", sa.String(length=32), nullable=False),
        sa.Column("district", sa.String(length=32), nullable=False),
        sa.Column("education", sa.String(length=24), nullable=False),
        sa.Column("expected_salary", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("phone", sa.String(length=11), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("city", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_seeker")),
        sa.UniqueConstraint("city", "reference", name=op.f("uq_job_seeker_city_reference")),
    )
    with op.batch_alter_table("job_seeker", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_seeker_city"), ["city"], unique=False)
        batch_op.create_index(
            "ix_job_seeker_city_registered", ["city", "registered_on"], unique=False
        )


def downgrade():
    with op.batch_alter_table("job_seeker", schema=None) as batch_op:
        batch_op.drop_index("ix_job_seeker_city_registered")
        batch_op.drop_index(batch_op.f("ix_job_seeker_city"))

    op.drop_table("job_seeker")
    with op.batch_alter_table("job_posting", schema=None) as batch_op:
        batch_op.drop_index("ix_job_posting_city_valid_until")
        batch_op.drop_index("ix_job_posting_city_published")
        batch_op.drop_index(batch_op.f("ix_job_posting_city"))

    op.drop_table("job_posting")
